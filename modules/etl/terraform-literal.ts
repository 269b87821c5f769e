/**
 * Escapes text so Terraform stores it verbatim: `${` and `%{` would otherwise
 * start an interpolation or a template directive inside the string.
 */
export function terraformLiteral(text: string): string {
  return text.replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
}
