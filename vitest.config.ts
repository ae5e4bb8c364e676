import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Child processes, not worker threads: one full run in a fresh clone hung for 14 minutes at
    // 0% CPU under the threads pool (docs/decisions.md D30).
    pool: "forks",
  },
});
