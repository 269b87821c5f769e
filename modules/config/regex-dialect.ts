/**
 * The regular expression subset a `pattern` quality rule accepts: constructs
 * that Java (`java.util.regex`, which Spark's `rlike` runs on Glue and locally)
 * and JavaScript (`RegExp` without flags, what the config is checked with)
 * both have and read the same way. Anything else is rejected with the
 * construct named, because a pattern that means one thing where it is
 * validated and another where it runs would quarantine the wrong rows.
 *
 * Accepted:
 * - literal characters (Basic Multilingual Plane only) and `\` before any
 *   character that is not a letter or digit (`\.`, `\-`, `\\`, `\/`, ...)
 * - `.` (any character except a line terminator; Java also stops at U+0085)
 * - classes `[abc]`, `[^abc]`, `[a-z]`, with the escapes below inside
 * - `\d \D \w \W` (ASCII in both: `[0-9]`, `[A-Za-z0-9_]`) and `\s \S`
 *   (Java: ASCII whitespace `[ \t\n\x0B\f\r]`; JavaScript also counts Unicode
 *   spaces such as U+00A0; the rule runs in Java, so Java's set applies)
 * - `\t \n \r \f`, `\xhh`, `\uhhhh` (not a surrogate)
 * - quantifiers `* + ? {n} {n,} {n,m}` and their lazy forms (`*?`, ...)
 * - alternation `|`, groups `(...)`, `(?:...)`, named groups `(?<name>...)`
 *   with an ASCII letter-then-letters-or-digits name, backreferences `\1`-`\9`
 *   and `\k<name>` to a group that exists
 * - lookahead `(?=...)` and `(?!...)`
 * - `^` at the start and `$` at the end of the pattern or of an alternative.
 *   Both are redundant: the rule already matches the whole value
 *   (`^(?:<regex>)\z`; the rule's own end anchor is `\z`, end of input, since
 *   Java's `$` also matches before a final line terminator).
 *
 * Rejected, with the reason:
 * - Java only: possessive quantifiers `*+ ++ ?+ {n}+`, atomic groups `(?>`,
 *   inline flags `(?i)` `(?i:...)`, `\A \z \Z \G \Q...\E \h \H \R \X \e \a`,
 *   `\x{...}`, `\N{...}`, class union `[a[b]]` and intersection `[a&&b]`
 * - different meaning: `\p{...}`/`\P{...}` (a Unicode property in Java,
 *   the letter p in JavaScript without the u flag), `\b \B` (Java's word
 *   boundary uses Unicode letters, JavaScript's ASCII), `\v` (vertical
 *   whitespace class vs vertical tab), `\cX`, `\0` and octal escapes,
 *   an escaped letter with no meaning (`\y`: literal in JavaScript, an error
 *   in Java), a `{` that does not start a quantifier, `[]` and `[^]`,
 *   a range with a class at one end (`[\d-z]`), `^`/`$` inside the pattern,
 *   characters outside the Basic Multilingual Plane (one code point in Java,
 *   two code units in JavaScript)
 * - lookbehind `(?<=` `(?<!` (Java needs a bounded length, JavaScript does not)
 * - other group syntax: `(?P<name>` (Python), `(?#comment)`, `(?'name'`, ...
 * - JavaScript literal syntax `/.../flags`: write the bare pattern; flags are
 *   not supported
 */
export function portableRegexProblem(regex: string): string | undefined {
  if (/^\/.+\/[dgimsuvy]*$/s.test(regex)) {
    return 'is written as a JavaScript literal "/.../flags"; write the bare pattern (flags are not supported, and Java would match the slashes literally; escape them as \\/ if you mean them)';
  }
  const problem = new Scanner(regex).scan();
  if (problem) return problem;
  try {
    new RegExp(regex);
  } catch (error) {
    return `is not a valid regular expression: ${(error as Error).message}`;
  }
  return undefined;
}

const LETTER_ESCAPES_OK = new Set(["d", "D", "w", "W", "s", "S", "t", "n", "r", "f"]);
/** Escapes outside the subset: what they are and why they are rejected. */
const REJECTED_ESCAPES: Record<string, string> = {
  A: "start of input, which only Java has; the rule already matches the whole value",
  z: "end of input, which only Java has; the rule already matches the whole value",
  Z: "end of input, which only Java has; the rule already matches the whole value",
  G: "end of the previous match, which only Java has",
  Q: "quoting up to \\E, which only Java has; escape each character with \\ instead",
  E: "the end of \\Q quoting, which only Java has",
  h: "horizontal whitespace, which only Java has; write [ \\t] instead",
  H: "not horizontal whitespace, which only Java has; write [^ \\t] instead",
  R: "any line break, which only Java has",
  X: "a grapheme cluster, which only Java has",
  e: "the escape character in Java, the letter e in JavaScript; write \\x1B instead",
  a: "the bell character in Java, the letter a in JavaScript; write \\x07 instead",
  N: "a named character, which only Java has",
  p: "a Unicode property in Java, the letter p in JavaScript without the u flag; list the characters in a class instead",
  P: "a Unicode property in Java, the letter P in JavaScript without the u flag; list the characters in a class instead",
  b: "a word boundary that differs: Java counts Unicode letters as word characters, JavaScript only [A-Za-z0-9_]",
  B: "a non-boundary that differs: Java counts Unicode letters as word characters, JavaScript only [A-Za-z0-9_]",
  v: "vertical whitespace (a class) in Java, the vertical tab in JavaScript; write \\x0B for the vertical tab",
  c: "a control escape that Java and JavaScript compute differently; write \\xhh instead",
};

/** A small recursive-descent reader of the accepted subset; reports the first construct outside it. */
class Scanner {
  private pos = 0;
  private groups = 0;
  private readonly names = new Set<string>();
  private readonly backrefs: { index?: number; name?: string; at: number }[] = [];

  constructor(private readonly source: string) {}

  scan(): string | undefined {
    for (let i = 0; i < this.source.length; i++) {
      const code = this.source.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdfff) {
        return `has a character outside the Basic Multilingual Plane at position ${i}: Java reads it as one code point, JavaScript as two code units`;
      }
    }
    try {
      this.alternatives(false);
      if (this.pos < this.source.length) throw this.error(`has an unmatched ")" at position ${this.pos}`);
      for (const ref of this.backrefs) {
        if (ref.index !== undefined && ref.index > this.groups) {
          throw this.error(`refers to group \\${ref.index} at position ${ref.at}, which does not exist (JavaScript reads it as an octal escape)`);
        }
        if (ref.name !== undefined && !this.names.has(ref.name)) {
          throw this.error(`refers to group \\k<${ref.name}> at position ${ref.at}, which does not exist`);
        }
      }
    } catch (error) {
      if (error instanceof RegexDialectError) return error.message;
      throw error;
    }
    return undefined;
  }

  private error(message: string): RegexDialectError {
    return new RegexDialectError(message);
  }

  private peek(offset = 0): string {
    return this.source[this.pos + offset] ?? "";
  }

  /** alternative ("|" alternative)*, up to a ")" (inGroup) or the end. */
  private alternatives(inGroup: boolean): void {
    for (;;) {
      this.sequence();
      if (this.peek() === "|") {
        this.pos++;
        continue;
      }
      if (this.peek() === ")" && !inGroup) throw this.error(`has an unmatched ")" at position ${this.pos}`);
      return;
    }
  }

  private sequence(): void {
    const start = this.pos;
    while (this.pos < this.source.length && this.peek() !== "|" && this.peek() !== ")") {
      const c = this.peek();
      if (c === "^") {
        if (this.pos !== start) throw this.error(`uses "^" at position ${this.pos}, not at the start of the pattern or of an alternative; inside a pattern its meaning depends on multi-line flags`);
        this.pos++;
        continue;
      }
      if (c === "$") {
        const next = this.peek(1);
        if (next !== "" && next !== "|" && next !== ")") {
          throw this.error(`uses "$" at position ${this.pos}, not at the end of the pattern or of an alternative; Java's $ also matches before a final line break`);
        }
        this.pos++;
        continue;
      }
      this.atom();
      this.quantifier();
    }
  }

  private atom(): void {
    const c = this.peek();
    const at = this.pos;
    if (c === "(") return this.group();
    if (c === "[") return this.characterClass();
    if (c === "\\") {
      this.escape(false);
      return;
    }
    if (c === "*" || c === "+" || c === "?") throw this.error(`has a quantifier "${c}" with nothing to repeat at position ${at}`);
    if (c === "{") {
      if (/^\{\d+(,\d*)?\}/.test(this.source.slice(at))) throw this.error(`has a quantifier "{" with nothing to repeat at position ${at}`);
      throw this.error(`has a "{" at position ${at} that does not start a quantifier {n}, {n,} or {n,m}: JavaScript reads it as a literal, Java as an error; write \\{`);
    }
    this.pos++;
  }

  private quantifier(): void {
    const c = this.peek();
    const at = this.pos;
    if (c === "*" || c === "+" || c === "?") {
      this.pos++;
    } else if (c === "{") {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(at));
      if (!match) {
        throw this.error(`has a "{" at position ${at} that does not start a quantifier {n}, {n,} or {n,m}: JavaScript reads it as a literal, Java as an error; write \\{`);
      }
      if (match[3] && Number(match[3]) < Number(match[1])) throw this.error(`has a quantifier ${match[0]} at position ${at} whose maximum is below its minimum`);
      this.pos += match[0].length;
    } else {
      return;
    }
    if (this.peek() === "+") {
      throw this.error(`uses the possessive quantifier "${this.source.slice(at, this.pos + 1)}" at position ${at}, which only Java has; drop the trailing "+"`);
    }
    if (this.peek() === "?") this.pos++;
    const next = this.peek();
    if (next === "*" || next === "+" || next === "?" || (next === "{" && /^\{\d+(,\d*)?\}/.test(this.source.slice(this.pos)))) {
      throw this.error(`has a quantifier "${next}" at position ${this.pos} that repeats a quantifier; wrap the repeated part in (?:...)`);
    }
  }

  private group(): void {
    const at = this.pos;
    this.pos++; // (
    if (this.peek() === "?") {
      const rest = this.source.slice(this.pos);
      if (rest.startsWith("?:") || rest.startsWith("?=") || rest.startsWith("?!")) {
        this.pos += 2;
      } else if (rest.startsWith("?<=") || rest.startsWith("?<!")) {
        throw this.error(`uses the lookbehind "(${rest.slice(0, 3)}" at position ${at}: Java needs a bounded length, JavaScript does not, so it is outside the portable subset`);
      } else if (rest.startsWith("?<")) {
        const name = /^\?<([^>]*)>/.exec(rest);
        if (!name) throw this.error(`has an unfinished named group "(?<" at position ${at}`);
        if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name[1])) {
          throw this.error(`names a group "${name[1]}" at position ${at}; Java allows only an ASCII letter followed by letters or digits`);
        }
        if (this.names.has(name[1])) throw this.error(`names two groups "${name[1]}"`);
        this.names.add(name[1]);
        this.groups++;
        this.pos += name[0].length;
      } else if (rest.startsWith("?>")) {
        throw this.error(`uses the atomic group "(?>" at position ${at}, which only Java has; use (?:...)`);
      } else if (/^\?[-a-zA-Z]+[:)]/.test(rest)) {
        const flags = /^\?[-a-zA-Z]+[:)]/.exec(rest)![0];
        throw this.error(`uses the inline flags "(${flags}" at position ${at}, which only Java has; flags are not supported, write both cases in a class ([Aa])`);
      } else {
        throw this.error(`uses the group syntax "(${rest.slice(0, 3)}" at position ${at}, which is not in the portable subset ((?:...), (?<name>...), (?=...), (?!...))`);
      }
    } else {
      this.groups++;
    }
    this.alternatives(true);
    if (this.peek() !== ")") throw this.error(`has an unclosed group "(" at position ${at}`);
    this.pos++;
  }

  private characterClass(): void {
    const at = this.pos;
    this.pos++; // [
    if (this.peek() === "^") this.pos++;
    if (this.peek() === "]") {
      throw this.error(`has a class starting with "]" at position ${at}: JavaScript reads [] as an empty class ([^] as any character), Java as a literal ]; write \\]`);
    }
    let previousWasClass = false;
    let previousWasChar = false;
    for (;;) {
      const c = this.peek();
      const here = this.pos;
      if (c === "") throw this.error(`has an unclosed class "[" at position ${at}`);
      if (c === "]") {
        this.pos++;
        return;
      }
      if (c === "[") throw this.error(`has an unescaped "[" inside a class at position ${here}: Java reads it as a nested class (union), JavaScript as a literal; write \\[`);
      if (c === "&" && this.peek(1) === "&") throw this.error(`has "&&" inside a class at position ${here}: Java reads it as class intersection, JavaScript as two literal &; write \\&\\&`);
      if (c === "-" && previousWasClass && this.peek(1) !== "]") {
        throw this.error(`has a range with a class at one end at position ${here}: JavaScript reads the "-" as a literal, Java as an error; write \\-`);
      }
      if (c === "-" && (previousWasChar || previousWasClass) && this.peek(1) !== "]" && this.peek(1) !== "") {
        // a range: the next element must be a single character
        this.pos++;
        const endIsClass = this.classElement();
        if (endIsClass) throw this.error(`has a range with a class at one end at position ${here}: JavaScript reads the "-" as a literal, Java as an error; write \\-`);
        previousWasChar = false;
        previousWasClass = false;
        continue;
      }
      const isClass = this.classElement();
      previousWasClass = isClass;
      previousWasChar = !isClass;
    }
  }

  /** One element of a class; true when it is a shorthand class (\d, \w, ...). */
  private classElement(): boolean {
    if (this.peek() === "\\") return this.escape(true);
    this.pos++;
    return false;
  }

  /** An escape at this.pos; returns true for a shorthand class. */
  private escape(inClass: boolean): boolean {
    const at = this.pos;
    const c = this.peek(1);
    if (c === "") throw this.error("ends with a lone \\");
    this.pos += 2;
    if (inClass && c === "b") throw this.error(`uses "[\\b]" at position ${at}: a backspace in JavaScript, an error in Java; write \\x08`);
    if (c in REJECTED_ESCAPES) throw this.error(`uses "\\${c}" at position ${at}: ${REJECTED_ESCAPES[c]}`);
    if (c === "x") {
      if (!/^[0-9a-fA-F]{2}$/.test(this.source.slice(this.pos, this.pos + 2))) {
        throw this.error(`has "\\x" at position ${at} without exactly two hex digits (\\x{...} exists only in Java)`);
      }
      this.pos += 2;
      return false;
    }
    if (c === "u") {
      const hex = this.source.slice(this.pos, this.pos + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error(`has "\\u" at position ${at} without exactly four hex digits (\\u{...} needs the u flag in JavaScript)`);
      const code = parseInt(hex, 16);
      if (code >= 0xd800 && code <= 0xdfff) throw this.error(`has the surrogate escape "\\u${hex}" at position ${at}: Java and JavaScript pair surrogates differently`);
      this.pos += 4;
      return false;
    }
    if (c === "k") {
      if (inClass) throw this.error(`has "\\k" inside a class at position ${at}`);
      const name = /^<([A-Za-z][A-Za-z0-9]*)>/.exec(this.source.slice(this.pos));
      if (!name) throw this.error(`has "\\k" at position ${at} without a group name <name>`);
      this.backrefs.push({ name: name[1], at });
      this.pos += name[0].length;
      return false;
    }
    if (c === "0") throw this.error(`uses the octal or NUL escape "\\0" at position ${at}, which Java and JavaScript read differently; write \\x00`);
    if (/[1-9]/.test(c)) {
      if (inClass) throw this.error(`has "\\${c}" inside a class at position ${at}: an octal escape in JavaScript, an error in Java`);
      if (/[0-9]/.test(this.peek())) throw this.error(`has the multi-digit backreference "\\${c}${this.peek()}" at position ${at}, which Java and JavaScript read differently`);
      this.backrefs.push({ index: Number(c), at });
      return false;
    }
    if (/[A-Za-z]/.test(c)) {
      if (LETTER_ESCAPES_OK.has(c)) return "dDwWsS".includes(c);
      throw this.error(`uses "\\${c}" at position ${at}, which has no meaning in Java (an error) but is the letter ${c} in JavaScript; write ${c} without the backslash`);
    }
    return false;
  }
}

class RegexDialectError extends Error {}
