import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateAll } from "../scripts/gen-types.js";

describe("generated schema types", () => {
  it("are up to date with schemas/ (run `npm run gen:types` when this fails)", async () => {
    const generated = await generateAll();
    for (const [path, text] of generated) {
      expect(existsSync(path), `${path} is missing`).toBe(true);
      expect(readFileSync(path, "utf8"), `${path} is stale`).toBe(text);
    }
  });
});
