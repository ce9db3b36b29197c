import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "examples/**",
      ".ci/.fixtures/**",
      ".buildkite/.local/**",
      ".buildkite/.build/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
);
