// No imports: .ci/setup runs a script that uses this before the repository's install.

/**
 * The indent an existing JSON file uses (a tab, or its first indented line's spaces), so a
 * rewrite keeps the style the repository's formatter gave it; two spaces for a new file.
 */
export function jsonIndentOf(existing: string | undefined): string {
  return /^\{\r?\n([ \t]+)\S/.exec(existing ?? "")?.[1] ?? "  ";
}
