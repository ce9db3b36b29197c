export * from "./assertions";
export * from "./timer";
// Compare this snippet from packages/core/src/utils/index.ts:
