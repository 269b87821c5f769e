import defaultConfig from "../../lakehouse.config";
import { portableRegexProblem } from "../../modules/config/regex-dialect";

/** The portable subset: what Java (Spark's rlike) and JavaScript read the same way. */
describe("pattern regexes in the subset Java and JavaScript share", () => {
  test("the default config's patterns are in the subset", () => {
    const patterns = defaultConfig.datasets.flatMap((d) => (d.quality ?? []).flatMap((r) => (r.rule === "pattern" ? [r.regex] : [])));
    expect(patterns.length).toBeGreaterThan(0);
    for (const regex of patterns) expect(portableRegexProblem(regex)).toBeUndefined();
  });

  test("common portable constructs are accepted", () => {
    for (const regex of [
      "[A-Z]{2}-\\d{4}",
      "^a|^b$",
      "(?:ab)+?",
      "(?<year>\\d{4})-\\k<year>",
      "(a)\\1",
      "x(?=y)(?!z)",
      "[a-z-]\\.\\-\\/",
      "\\u00e9\\x41\\t",
      "\\w+\\s\\S\\W\\D",
    ]) {
      expect(portableRegexProblem(regex)).toBeUndefined();
    }
  });

  test("possessive quantifiers are rejected as Java-only", () => {
    expect(portableRegexProblem("a*+")).toBe('uses the possessive quantifier "*+" at position 1, which only Java has; drop the trailing "+"');
    expect(portableRegexProblem("a++")).toMatch(/possessive quantifier "\+\+"/);
    expect(portableRegexProblem("a?+")).toMatch(/possessive quantifier "\?\+"/);
    expect(portableRegexProblem("a{3}+")).toMatch(/possessive quantifier "\{3\}\+"/);
  });

  test("atomic groups are rejected as Java-only", () => {
    expect(portableRegexProblem("(?>ab)")).toMatch(/atomic group "\(\?>" at position 0, which only Java has/);
  });

  test("inline flags are rejected as Java-only", () => {
    expect(portableRegexProblem("(?i)abc")).toMatch(/inline flags "\(\?i\)" at position 0, which only Java has/);
    expect(portableRegexProblem("(?i:abc)")).toMatch(/inline flags "\(\?i:"/);
  });

  test("lookbehind is rejected because Java needs a bounded length", () => {
    expect(portableRegexProblem("(?<=a)b")).toMatch(/lookbehind "\(\?<=" .*Java needs a bounded length/);
    expect(portableRegexProblem("(?<!a)b")).toMatch(/lookbehind "\(\?<!"/);
  });

  test("named groups need a name Java accepts", () => {
    expect(portableRegexProblem("(?<my_name>a)")).toMatch(/names a group "my_name" .*ASCII letter followed by letters or digits/);
  });

  test("Java-only escapes are rejected by name", () => {
    for (const escape of ["\\A", "\\z", "\\Z", "\\G", "\\h", "\\H", "\\R", "\\X", "\\Qa\\E"]) {
      expect(portableRegexProblem(`a${escape}`)).toMatch(new RegExp(`uses "\\${escape.slice(0, 2)}" at position 1: .*only Java has`));
    }
  });

  test("escapes that mean different things are rejected", () => {
    expect(portableRegexProblem("\\p{L}+")).toMatch(/uses "\\p" at position 0: a Unicode property in Java, the letter p in JavaScript without the u flag/);
    expect(portableRegexProblem("\\bword\\b")).toMatch(/uses "\\b" .*word boundary that differs/);
    expect(portableRegexProblem("a\\vb")).toMatch(/uses "\\v" .*vertical tab in JavaScript/);
    expect(portableRegexProblem("\\0")).toMatch(/"\\0" .*read differently/);
    expect(portableRegexProblem("\\y")).toMatch(/uses "\\y" .*no meaning in Java .*letter y in JavaScript/);
    expect(portableRegexProblem("\\x{41}")).toMatch(/\\x\{\.\.\.\} exists only in Java/);
    expect(portableRegexProblem("[\\b]")).toMatch(/backspace in JavaScript, an error in Java/);
  });

  test("class union, intersection and empty classes are rejected", () => {
    expect(portableRegexProblem("[a[b]]")).toMatch(/unescaped "\[" inside a class .*nested class \(union\)/);
    expect(portableRegexProblem("[a-z&&[^aeiou]]")).toMatch(/"&&" inside a class .*intersection/);
    expect(portableRegexProblem("[]a]")).toMatch(/class starting with "\]"/);
    expect(portableRegexProblem("[\\d-z]")).toMatch(/range with a class at one end/);
  });

  test("^ and $ are accepted only at the ends of the pattern or of an alternative", () => {
    expect(portableRegexProblem("a$b")).toMatch(/uses "\$" at position 1, not at the end .*Java's \$ also matches before a final line break/);
    expect(portableRegexProblem("a^b")).toMatch(/uses "\^" at position 1, not at the start/);
    expect(portableRegexProblem("^(a|b)$")).toBeUndefined();
  });

  test("a brace that is not a quantifier must be escaped", () => {
    expect(portableRegexProblem("a{,3}")).toMatch(/"\{" at position 1 that does not start a quantifier .*write \\\{/);
    expect(portableRegexProblem("a\\{,3\\}")).toBeUndefined();
  });

  test("a JavaScript /.../flags literal is rejected", () => {
    expect(portableRegexProblem("/abc/i")).toMatch(/JavaScript literal "\/\.\.\.\/flags"; write the bare pattern/);
  });

  test("Python group syntax and comments are rejected", () => {
    expect(portableRegexProblem("(?P<n>a)")).toMatch(/group syntax "\(\?P<" .*not in the portable subset/);
    expect(portableRegexProblem("a(?#note)")).toMatch(/group syntax "\(\?#/);
  });

  test("a backreference to a group that does not exist is rejected", () => {
    expect(portableRegexProblem("(a)\\2")).toMatch(/refers to group \\2 .*does not exist/);
    expect(portableRegexProblem("\\k<nope>")).toMatch(/refers to group \\k<nope> .*does not exist/);
  });

  test("characters beyond the Basic Multilingual Plane are rejected", () => {
    expect(portableRegexProblem("\u{1F600}")).toMatch(/outside the Basic Multilingual Plane .*one code point.*two code units/);
  });

  test("a malformed pattern is reported, not accepted", () => {
    expect(portableRegexProblem("(a")).toMatch(/unclosed group/);
    expect(portableRegexProblem("a**")).toMatch(/repeats a quantifier/);
  });
});
