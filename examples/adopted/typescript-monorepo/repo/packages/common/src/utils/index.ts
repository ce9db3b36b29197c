export * from "./get-error-message";
export * from "./invariant";
export * from "./is-empty";
export * from "./is-present";
export * from "./unique";
