/** A function to test if code changes propagate to the running web app */
export function areWeThereYet() {
  return "This text is coming from a function in the @repo/common package. Change this text to test live updates while the dev server is running.";
}
