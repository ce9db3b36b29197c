/**
 * Buildkite's conditional expressions (`if:`): a real parser, so a malformed condition is an
 * error at load time (exit 2) rather than a silently skipped step.
 *
 *   expr    := or
 *   or      := and ("||" and)*
 *   and     := unary ("&&" unary)*
 *   unary   := "!" unary | compare
 *   compare := primary (("==" | "!=" | "=~" | "!~" | "includes") primary)?
 *   primary := "(" expr ")" | "[" (expr ("," expr)*)? "]" | string | regex | null | true
 *              | false | number | variable
 *   variable:= build.branch | … | build.env("NAME")
 * `// …` to the end of a line is a comment, as Buildkite documents.
 */

export type Value = string | number | boolean | null | string[];

export type Expr =
  | { kind: "literal"; value: Value }
  | { kind: "regex"; source: string; flags: string }
  | { kind: "array"; items: Expr[] }
  | { kind: "var"; name: string }
  | { kind: "env"; name: string }
  | { kind: "not"; arg: Expr }
  | { kind: "binary"; op: "&&" | "||" | "==" | "!=" | "=~" | "!~" | "includes"; left: Expr; right: Expr };

export const VARIABLES = [
  "build.branch",
  "build.tag",
  "build.message",
  "build.commit",
  "build.source",
  "build.pull_request.id",
  "build.pull_request.base_branch",
  "build.pull_request.draft",
  "build.pull_request.labels",
  "build.pull_request.repository",
  "build.pull_request.repository.fork",
  "build.id",
  "build.number",
  "build.state",
  "build.author.email",
  "build.author.id",
  "build.author.name",
  "build.author.teams",
  "build.creator.email",
  "build.creator.id",
  "build.creator.name",
  "build.creator.teams",
  "pipeline.default_branch",
  "pipeline.id",
  "pipeline.repository",
  "pipeline.slug",
  "organization.id",
  "organization.slug",
] as const;
export type Variables = Record<(typeof VARIABLES)[number], Value> & {
  env: (name: string) => string | undefined;
};

export class ExprError extends Error {
  override name = "ExprError";
}

type Token = { type: "op" | "string" | "regex" | "ident" | "number" | "paren"; text: string; at: number };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const regexAllowed = () => {
    const prev = tokens.at(-1);
    return prev?.type === "op" && (prev.text === "=~" || prev.text === "!~");
  };
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (src.startsWith("//", i) && !regexAllowed()) {
      const end = src.indexOf("\n", i);
      i = end === -1 ? src.length : end + 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (["&&", "||", "==", "!=", "=~", "!~"].includes(two)) {
      tokens.push({ type: "op", text: two, at: i });
      i += 2;
    } else if (c === "!") {
      tokens.push({ type: "op", text: "!", at: i });
      i++;
    } else if (c === "(" || c === ")" || c === "," || c === "[" || c === "]") {
      tokens.push({ type: "paren", text: c, at: i });
      i++;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let text = "";
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\\" && j + 1 < src.length) j++;
        text += src[j];
        j++;
      }
      if (j >= src.length) throw new ExprError(`unterminated string at column ${i + 1}`);
      tokens.push({ type: "string", text, at: i });
      i = j + 1;
    } else if (c === "/" && regexAllowed()) {
      let j = i + 1;
      while (j < src.length && src[j] !== "/") j += src[j] === "\\" ? 2 : 1;
      if (j >= src.length) throw new ExprError(`unterminated regular expression at column ${i + 1}`);
      const flags = /^[a-z]*/.exec(src.slice(j + 1))?.[0] ?? "";
      tokens.push({ type: "regex", text: `${src.slice(i + 1, j)}/${flags}`, at: i });
      i = j + 1 + flags.length;
    } else if (/[0-9]/.test(c)) {
      const m = /^\d+/.exec(src.slice(i))?.[0] ?? "";
      tokens.push({ type: "number", text: m, at: i });
      i += m.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w.]*/.exec(src.slice(i))?.[0] ?? "";
      tokens.push({ type: m === "includes" ? "op" : "ident", text: m, at: i });
      i += m.length;
    } else {
      throw new ExprError(`unexpected ${JSON.stringify(c)} at column ${i + 1}`);
    }
  }
  return tokens;
}

export function parseExpr(src: string): Expr {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const where = () => (peek() ? `column ${(peek()?.at ?? 0) + 1}` : "the end");
  const expect = (text: string) => {
    if (peek()?.text !== text) throw new ExprError(`expected ${JSON.stringify(text)} at ${where()}`);
    pos++;
  };
  const binary = (ops: string[], next: () => Expr) => (): Expr => {
    let left = next();
    while (peek()?.type === "op" && ops.includes(peek()?.text ?? "")) {
      const op = tokens[pos++]?.text as "&&" | "||";
      left = { kind: "binary", op, left, right: next() };
    }
    return left;
  };
  const primary = (): Expr => {
    const t = tokens[pos++];
    if (!t) throw new ExprError("the expression ends too early");
    if (t.type === "paren" && t.text === "(") {
      const e = or();
      expect(")");
      return e;
    }
    if (t.type === "paren" && t.text === "[") {
      const items: Expr[] = [];
      while (peek() && peek()?.text !== "]") {
        items.push(or());
        if (peek()?.text === ",") pos++;
        else break;
      }
      expect("]");
      return { kind: "array", items };
    }
    if (t.type === "string") return { kind: "literal", value: t.text };
    if (t.type === "number") return { kind: "literal", value: Number(t.text) };
    if (t.type === "regex") {
      const cut = t.text.lastIndexOf("/");
      const source = t.text.slice(0, cut);
      const flags = t.text.slice(cut + 1);
      try {
        // Compiled here only to refuse a bad one at load; the tree stays plain data (JSON).
        new RegExp(source, flags);
        return { kind: "regex", source, flags };
      } catch (e) {
        throw new ExprError(`invalid regular expression at column ${t.at + 1}: ${(e as Error).message}`);
      }
    }
    if (t.type === "ident") {
      if (t.text === "null") return { kind: "literal", value: null };
      if (t.text === "true" || t.text === "false") return { kind: "literal", value: t.text === "true" };
      if (t.text === "build.env") {
        expect("(");
        const arg = tokens[pos++];
        if (arg?.type !== "string")
          throw new ExprError(`build.env() takes a string, at column ${(arg?.at ?? t.at) + 1}`);
        expect(")");
        return { kind: "env", name: arg.text };
      }
      if ((VARIABLES as readonly string[]).includes(t.text)) return { kind: "var", name: t.text };
      throw new ExprError(`unknown variable ${t.text} at column ${t.at + 1}`);
    }
    throw new ExprError(`unexpected ${JSON.stringify(t.text)} at column ${t.at + 1}`);
  };
  const compare = (): Expr => {
    const left = primary();
    const t = peek();
    if (t?.type === "op" && ["==", "!=", "=~", "!~", "includes"].includes(t.text)) {
      pos++;
      const right = primary();
      if ((t.text === "=~" || t.text === "!~") && right.kind !== "regex") {
        throw new ExprError(`${t.text} needs a regular expression on its right, at column ${t.at + 1}`);
      }
      return { kind: "binary", op: t.text as "==", left, right };
    }
    return left;
  };
  const unary = (): Expr => {
    if (peek()?.type === "op" && peek()?.text === "!") {
      pos++;
      return { kind: "not", arg: unary() };
    }
    return compare();
  };
  const and = binary(["&&"], unary);
  const or = binary(["||"], and);
  const expr = or();
  if (pos < tokens.length) throw new ExprError(`unexpected ${JSON.stringify(peek()?.text)} at ${where()}`);
  return expr;
}

const truthy = (v: Value) => v !== null && v !== false && v !== "" && !(Array.isArray(v) && v.length === 0);

export function evaluate(e: Expr, vars: Variables): Value {
  switch (e.kind) {
    case "literal":
      return e.value;
    case "regex":
      return e.source;
    case "array":
      return e.items.map((item) => String(evaluate(item, vars)));
    case "var":
      return vars[e.name as keyof Omit<Variables, "env">];
    case "env":
      return vars.env(e.name) ?? null;
    case "not":
      return !truthy(evaluate(e.arg, vars));
    case "binary": {
      if (e.op === "&&") return truthy(evaluate(e.left, vars)) && truthy(evaluate(e.right, vars));
      if (e.op === "||") return truthy(evaluate(e.left, vars)) || truthy(evaluate(e.right, vars));
      const left = evaluate(e.left, vars);
      if (e.op === "=~" || e.op === "!~") {
        const re = e.right.kind === "regex" ? new RegExp(e.right.source, e.right.flags) : null;
        const matched = typeof left === "string" && re !== null && re.test(left);
        return e.op === "=~" ? matched : !matched;
      }
      const right = evaluate(e.right, vars);
      if (e.op === "includes")
        return Array.isArray(left) && typeof right === "string" && left.includes(right);
      const same = String(left) === String(right) && (left === null) === (right === null);
      return e.op === "==" ? same : !same;
    }
  }
}

export const conditionHolds = (e: Expr, vars: Variables) => truthy(evaluate(e, vars));
