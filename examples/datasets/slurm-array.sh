#!/usr/bin/env bash
# A dataset as a Slurm job array: every array task makes its share of the samples into one shared folder.
#   sbatch --array=0-7 examples/datasets/slurm-array.sh CONFIG COUNT SEED OUT
# Each task runs `us-sim dataset … --shard K`, K = the array's task count, and takes its shard index from
# SLURM_ARRAY_TASK_ID (so number the array from 0). The last task to finish writes manifest.jsonl and annotations.json;
# `us-sim dataset merge OUT` does the same by hand. A task that fails or is preempted is simply resubmitted: it keeps
# the samples it finished. Set US_SIM to the executable when it is not .build/release/us-sim under the submit folder.
#SBATCH --job-name=us-sim-dataset
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --output=us-sim-dataset-%A_%a.log
set -euo pipefail
config=${1:?dataset configuration}
count=${2:?number of samples}
seed=${3:-1}
out=${4:-out/dataset}
: "${SLURM_ARRAY_TASK_ID:?run this through sbatch --array=0-(K-1)}"
shards=${SLURM_ARRAY_TASK_COUNT:?run this through sbatch --array=0-(K-1)}
us_sim=${US_SIM:-${SLURM_SUBMIT_DIR:-.}/.build/release/us-sim}
exec "$us_sim" dataset "$config" --count "$count" --seed "$seed" --out "$out" \
  --shard "$shards" --workers "${SLURM_CPUS_PER_TASK:-2}" --quiet
