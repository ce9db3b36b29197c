export * from "./are-we-there-yet";
export * from "./document-types";
export * from "./utils";
