//! samkost
