import { readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/**
 * Which files git tracks, read from its index (`.git/index`) without a `git` binary, so the
 * host and the engine's containers (which have none) read it the same way. `.gitignore` hides
 * only untracked files: a tracked `.env` that an ignore rule matches is still in the repository,
 * and the checks must see it.
 *
 * Index versions 2, 3 and 4 (git's documentation, "Git index format"): a 12-byte header
 * ("DIRC", version, entry count), then the entries, each 62 bytes of stat data, object id and
 * flags, an extended flags word when version 3 flags it, and the path: NUL-padded to a multiple
 * of 8 bytes in versions 2 and 3, prefix-compressed (a varint of bytes to drop from the previous
 * path, then the rest) in version 4. Anything else is not understood, which callers treat as
 * "unknown" and fail closed on.
 */
export function parseGitIndex(bytes: Uint8Array): string[] | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 12 || buf.toString("latin1", 0, 4) !== "DIRC") return undefined;
  const version = buf.readUInt32BE(4);
  const count = buf.readUInt32BE(8);
  if (version < 2 || version > 4) return undefined;
  const paths: string[] = [];
  let at = 12;
  let previous = "";
  for (let i = 0; i < count; i++) {
    const start = at;
    if (at + 62 > buf.length) return undefined;
    const flags = buf.readUInt16BE(at + 60);
    at += 62;
    if (version >= 3 && flags & 0x4000) at += 2;
    let path: string;
    if (version === 4) {
      // The varint of git's offset encoding: each continuation adds one before shifting.
      let drop = 0;
      let byte: number;
      do {
        if (at >= buf.length) return undefined;
        byte = buf[at++] as number;
        drop = (drop << 7) | (byte & 0x7f);
        if (byte & 0x80) drop++;
      } while (byte & 0x80);
      const end = buf.indexOf(0, at);
      if (end < 0 || drop > previous.length) return undefined;
      path = previous.slice(0, previous.length - drop) + buf.toString("utf8", at, end);
      at = end + 1;
    } else {
      const end = buf.indexOf(0, at);
      if (end < 0) return undefined;
      path = buf.toString("utf8", at, end);
      // Padded with 1 to 8 NULs so the entry's length is a multiple of 8.
      at = start + Math.ceil((end - start + 1) / 8) * 8;
    }
    // Entries at a conflict stage other than 0 repeat a path; a sparse directory entry ends in /.
    if (!path.endsWith("/") && path !== previous) paths.push(path);
    previous = path;
  }
  return paths;
}

/** The `.git` of the repository that holds `dir`: a directory, or a worktree's `gitdir:` file. */
function gitDirOf(dir: string): { root: string; gitDir: string } | undefined {
  for (let at = resolve(dir); ; at = dirname(at)) {
    const dotGit = join(at, ".git");
    const st = statSync(dotGit, { throwIfNoEntry: false });
    if (st?.isDirectory()) return { root: at, gitDir: dotGit };
    if (st?.isFile()) {
      const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, "utf8"));
      if (m) return { root: at, gitDir: resolve(at, (m[1] as string).trim()) };
    }
    if (dirname(at) === at) return undefined;
  }
}

export type Tracked = { known: true; files: ReadonlySet<string> } | { known: false; why: string };

/**
 * The tracked files below `root`, relative to it, from the index of the repository that holds
 * it (root itself or a directory above). Unknown, with why, when there is no repository or its
 * index cannot be read.
 */
export function trackedFiles(root: string): Tracked {
  const repo = gitDirOf(root);
  if (!repo) return { known: false, why: "no git repository holds the source" };
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(join(repo.gitDir, "index"));
  } catch {
    return { known: false, why: `git's index (${join(repo.gitDir, "index")}) cannot be read` };
  }
  const paths = parseGitIndex(bytes);
  if (!paths) return { known: false, why: "git's index is in a format this reader does not know" };
  const prefix = relative(repo.root, resolve(root)).split(sep).join("/");
  const files = new Set<string>();
  for (const p of paths) {
    if (!prefix) files.add(p);
    else if (p.startsWith(`${prefix}/`)) files.add(p.slice(prefix.length + 1));
  }
  return { known: true, files };
}
