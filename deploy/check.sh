#!/usr/bin/env bash
# Checks the cluster examples without a cluster: shell syntax of the Slurm scripts, the
# structure of the Kubernetes manifests, and the very command lines of both run locally as
# separate processes (array tasks / indexed pods), merged and compared byte for byte with an
# unsharded sweep. Needs python3 (or $PYTHON) with PyYAML and a built binary (SAMKOST_BIN, default the
# debug build).
set -euo pipefail
cd "$(dirname "$0")/.."
SAMKOST=$(realpath "${SAMKOST_BIN:-target/debug/samkost}")
export SAMKOST

bash -n deploy/slurm/sweep.sbatch
bash -n deploy/slurm/merge.sbatch
bash -n deploy/slurm/submit.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The Kubernetes manifests: structure, and the container commands for the local run below.
"${PYTHON:-python3}" - "$work" <<'PY'
import sys, yaml
work = sys.argv[1]
docs = {}
for name in ["volume", "sweep-job", "merge-job"]:
    with open(f"deploy/kubernetes/{name}.yaml") as f:
        docs[name] = yaml.safe_load(f)
assert docs["volume"]["kind"] == "PersistentVolumeClaim"
assert "ReadWriteMany" in docs["volume"]["spec"]["accessModes"]
claim = docs["volume"]["metadata"]["name"]
for name in ["sweep-job", "merge-job"]:
    job = docs[name]
    assert job["apiVersion"] == "batch/v1" and job["kind"] == "Job", name
    pod = job["spec"]["template"]["spec"]
    assert pod["restartPolicy"] == "Never", name
    assert pod["volumes"][0]["persistentVolumeClaim"]["claimName"] == claim, name
    assert pod["containers"][0]["volumeMounts"][0]["mountPath"] == "/data", name
sweep = docs["sweep-job"]["spec"]
assert sweep["completionMode"] == "Indexed"
container = sweep["template"]["spec"]["containers"][0]
shards = int(next(e["value"] for e in container["env"] if e["name"] == "SHARDS"))
assert sweep["completions"] == shards, "completions must equal SHARDS"
assert 1 <= sweep["parallelism"] <= shards
assert "$JOB_COMPLETION_INDEX/$SHARDS" in container["args"][0]
with open(f"{work}/k8s-shards", "w") as f:
    f.write(str(shards))
for name in ["sweep-job", "merge-job"]:
    c = docs[name]["spec"]["template"]["spec"]["containers"][0]
    assert c["command"] == ["sh", "-c"], name
    with open(f"{work}/{name}.sh", "w") as f:
        f.write(c["args"][0].replace("/data", work + "/data").replace("exec samkost", 'exec "$SAMKOST"'))
PY

cat > "$work/grid.toml" <<'TOML'
draws = 200
[[axes]]
parameter = "scope_growth"
values = [0.0, 0.2]
[[axes]]
key = "30/70"
fixed_part = [0.1, 0.3, 0.5]
TOML

"$SAMKOST" sweep scenarios/ssikt.toml --grid "$work/grid.toml" --out "$work/whole" 2>/dev/null

# Slurm: the array tasks as separate processes, then the merge job.
export SCENARIO=scenarios/ssikt.toml GRID="$work/grid.toml" OUT="$work/slurm"
pids=()
for k in 0 1 2; do
    SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_COUNT=3 SLURM_CPUS_PER_TASK=1 \
        bash deploy/slurm/sweep.sbatch 2>"$work/slurm-$k.log" &
    pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=3 bash deploy/slurm/sweep.sbatch 2>"$work/rerun.log"
grep -q "already complete" "$work/rerun.log" || { echo "a rerun did not skip its shard"; exit 1; }
bash deploy/slurm/merge.sbatch 2>/dev/null
cmp "$work/slurm/sweep.csv" "$work/whole/sweep.csv"

# Kubernetes: the indexed pods' command with JOB_COMPLETION_INDEX, then the merge Job's.
mkdir -p "$work/data"
cp scenarios/ssikt.toml "$work/data/scenario.toml"
cp "$work/grid.toml" "$work/data/grid.toml"
shards=$(cat "$work/k8s-shards")
pids=()
for ((i = 0; i < shards; i++)); do
    JOB_COMPLETION_INDEX=$i SHARDS=$shards sh -c "$(cat "$work/sweep-job.sh")" 2>/dev/null &
    pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
sh -c "$(cat "$work/merge-job.sh")" 2>/dev/null
cmp "$work/data/out/sweep.csv" "$work/whole/sweep.csv"
echo "deploy examples: ok (Slurm 3 tasks, Kubernetes $shards pods, merged = unsharded)"
