/**
 * Escapes text so Terraform stores it verbatim: `${` and `%{` would otherwise
 * start an interpolation or a template directive inside the string.
 */
export function terraformLiteral(text: string): string {
  // A function, not a replacement string: in one, "$$" means a single "$".
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}
