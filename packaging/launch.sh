#!/usr/bin/env bash
# Starts N processes of one command as torchrun would, for machines without a working
# torchrun (Debian 12's fails on Python 3.11): each gets RANK, WORLD_SIZE, LOCAL_RANK,
# LOCAL_WORLD_SIZE, MASTER_ADDR and MASTER_PORT. If one process fails, the others are stopped
# and its exit status is returned; Ctrl-C stops them all.
#
#   packaging/launch.sh 2 -- build/bin/latentlab-cli train --data mnist --out runs/two
#
# As one node of several (the same command on each machine, node 0's address as master):
#   packaging/launch.sh --nnodes 2 --node-rank 0 --master-addr 10.0.0.1 --master-port 29500 \
#       2 -- latentlab-cli train ...
set -uo pipefail
if ((BASH_VERSINFO[0] < 5 || (BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] < 1))); then
    echo "$0 needs bash 5.1 or newer (for wait -n with process ids)" >&2
    exit 2
fi

usage() {
    echo "usage: $0 [--nnodes N --node-rank R --master-addr HOST --master-port PORT]" \
         "NPROC -- COMMAND [ARGS...]" >&2
    exit 2
}

nnodes=1 node_rank=0 master_addr="" master_port=""
while [ $# -gt 0 ]; do
    case "$1" in
        --nnodes) nnodes="${2:-}"; shift 2 ;;
        --node-rank) node_rank="${2:-}"; shift 2 ;;
        --master-addr) master_addr="${2:-}"; shift 2 ;;
        --master-port) master_port="${2:-}"; shift 2 ;;
        --) usage ;;
        -*) echo "$0: unknown option $1" >&2; usage ;;
        *) break ;;
    esac
done
[ $# -ge 3 ] && [ "$2" = "--" ] || usage
nproc="$1"
shift 2
for v in nproc nnodes node_rank; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "$0: $v must be a whole number, not '${!v}'" >&2; exit 2; }
done
[ "$nproc" -ge 1 ] && [ "$nnodes" -ge 1 ] && [ "$node_rank" -lt "$nnodes" ] ||
    { echo "$0: need NPROC >= 1, --nnodes >= 1 and --node-rank below --nnodes" >&2; exit 2; }

if [ "$nnodes" -gt 1 ] && { [ -z "$master_addr" ] || [ -z "$master_port" ]; }; then
    echo "$0: with --nnodes, give every node node 0's --master-addr and the same --master-port" >&2
    exit 2
fi
master_addr="${master_addr:-127.0.0.1}"
if [ -z "$master_port" ]; then
    # A port nothing listens on (bash's /dev/tcp connects only when something does), below
    # Linux's range for outgoing connections (32768 and up).
    for _ in $(seq 50); do
        master_port=$((20000 + RANDOM % 12000))
        (exec 3<>"/dev/tcp/127.0.0.1/$master_port") 2>/dev/null || break
    done
fi

pids=()
# After a failure: TERM, then KILL what is still there after 10 seconds (the others would wait
# for the failed one until --dist-timeout).
stop_all() {
    local pid tries
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for tries in $(seq 100); do
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && break; pid=""; done
        [ -z "$pid" ] && return
        sleep 0.1
    done
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
}
# Ctrl-C (or TERM to this script): the processes stop after the same step and process 0 saves;
# wait for that as long as it takes. A second Ctrl-C ends them at once.
interrupted() {
    trap 'kill -KILL "${pids[@]}" 2>/dev/null; exit 130' INT TERM
    kill -TERM "${pids[@]}" 2>/dev/null
    wait
    exit 130
}
trap interrupted INT TERM

world=$((nproc * nnodes))
for ((i = 0; i < nproc; i++)); do
    MASTER_ADDR="$master_addr" MASTER_PORT="$master_port" WORLD_SIZE="$world" \
        RANK=$((node_rank * nproc + i)) LOCAL_RANK="$i" LOCAL_WORLD_SIZE="$nproc" \
        GROUP_RANK="$node_rank" "$@" &
    pids+=($!)
done

status=0
for ((left = nproc; left > 0; left--)); do
    wait -n "${pids[@]}"
    code=$?
    if [ "$code" -ne 0 ]; then
        echo "$0: a process exited with status $code; stopping the others" >&2
        stop_all
        wait
        exit "$code"
    fi
done
exit "$status"
