// The workflow task timeout of the workflows that run local activities (check-in, period assessment, year-end
// assessment) and of the giao ban, whose history grows past a thousand events: a start option, so it is in no
// recorded history and applies to runs started from now on (a continue-as-new keeps it).
//
// Why not the server's 10 s: with SDK 1.24 a local activity still running when its workflow task heartbeats (at
// 80 % of the timeout, counted from the task's start, not the local activity's) lets a timer or an Update that
// arrived meanwhile run before its result when live and after it on replay, and the run fails its replay
// (workflows/human-steps.ts LOCAL_ACTIVITY_OPTIONS bounds each attempt to 3 s for that). On a worker saturated by
// the monthly opening of 20,000 persons a task can wait that long before its local activity even starts, so the
// heartbeat can still fall inside it: the seventh scale-1 bench (docs/benchmarks/2026-11-27-1-run7.md) saw two
// year-end assessment runs fail their replay ('Missing associated machine for LocalActivity', 'patch marker …
// step-effects-batch … no corresponding change command') — the likely cause; their histories were not kept — and a
// giao ban replaying its ~1,160 events take 11–20 s a task, past the timeout, three attempts in a row. At 60 s the
// heartbeat comes at 48 s. The cost: a task held by a worker that dies goes to another after 60 s instead of 10 (a
// human step waits days).
export const LONG_WORKFLOW_TASK_TIMEOUT = '60s';
