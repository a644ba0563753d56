#!/usr/bin/env bash
# Submits a sweep as a Slurm array job of SHARDS tasks plus a merge job that runs only when
# every task has succeeded. Environment: SAMKOST, SCENARIO, GRID, OUT as in sweep.sbatch.
#   SHARDS=8 GRID=scenarios/grids/ssikt-key-and-scope.toml OUT=$SCRATCH/sweep deploy/slurm/submit.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARDS=${SHARDS:-8}
array=$(sbatch --parsable --array="0-$((SHARDS - 1))" --export="ALL,SHARDS=$SHARDS" \
    deploy/slurm/sweep.sbatch)
array=${array%%;*}   # --parsable prints "jobid;cluster" on multi-cluster sites
merge=$(sbatch --parsable --dependency="afterok:$array" --export=ALL deploy/slurm/merge.sbatch)
echo "sweep array job $array ($SHARDS shards), merge job $merge"
