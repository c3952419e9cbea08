// The workflow task timeout of the workflows that run local activities (check-in, period assessment, year-end
// assessment) and of the giao ban, whose history grows past a thousand events: a start option, so it is in no
// recorded history and applies to runs started from now on (a continue-as-new keeps it).
//
// Why not the server's 10 s. The giao ban: on a worker saturated by the monthly opening of 20,000 persons, a task
// that replays its ~1,160 events took 11–20 s, past the timeout, and was run again three times in a row (the seventh
// scale-1 bench, docs/benchmarks/2026-11-27-1-run7.md). The local activities: the worker heartbeats a task at 80 %
// of its timeout, counted from the task's start, and with SDK 1.24 a local activity still running then can replay in
// another order than it ran (workflows/human-steps.ts LOCAL_ACTIVITY_OPTIONS, found with a single local activity held
// past the heartbeat beside an Update); a saturated worker can start a local activity late in its task. (The same
// bench's two year-end runs whose queries failed their replay most likely had another cause, found later in a CI
// run's history: a local activity's result handed to the workflow a task after its marker, and Date.now() read after
// it; see PATCH_STABLE_CLOCK in workflows/human-steps.ts.) At 60 s the heartbeat comes at 48 s. The cost: a task held
// by a worker that dies goes to another after 60 s instead of 10 (a human step waits days).
export const LONG_WORKFLOW_TASK_TIMEOUT = '60s';
