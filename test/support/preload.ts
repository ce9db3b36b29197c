// Loaded before every test file (bunfig.toml [test] preload): one afterAll for the whole run.
import { afterAll } from "bun:test";
import { runCleanups } from "./cleanup.ts";

// Removing a run's example copies and the stand-in's containers takes longer than a hook's
// default bound on a busy machine; it is bounded, generously, all the same.
afterAll(runCleanups, 600_000);
