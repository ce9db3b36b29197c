/**
 * A repository URL as an identity: `git@github.com:org/repo.git` and `https://github.com/org/repo`
 * name the same repository. Used to tell a fork's pull request from one of the repository's own.
 */
export function repoIdentity(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/^[a-z+]+:\/\//, "")
    .replace(/^[^@/]+@/, "")
    .replace(":", "/")
    .replace(/\.git$/, "")
    .replace(/\/+$/, "");
}
