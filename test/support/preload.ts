// Loaded before every test file (bunfig.toml [test] preload): one afterAll for the whole run.
import { afterAll } from "bun:test";
import { runCleanups } from "./cleanup.ts";

afterAll(runCleanups);
