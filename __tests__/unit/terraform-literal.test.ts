/**
 * Text Terraform must store verbatim (the entry scripts, the dashboard's body):
 * `${` and `%{` are escaped as `$${` and `%%{`, which Terraform reads back as the original.
 */
import { terraformLiteral } from "../../modules/etl/terraform-literal";

describe("terraformLiteral", () => {
  test("an interpolation opener is doubled, so Terraform stores ${ as typed", () => {
    expect(terraformLiteral("label ${PROP('Dim.Dataset')}")).toBe("label $${PROP('Dim.Dataset')}");
  });

  test("a template directive opener is doubled too", () => {
    expect(terraformLiteral("%{ if x }")).toBe("%%{ if x }");
  });

  test("text without either is returned unchanged, a lone $ or % included", () => {
    expect(terraformLiteral("cost $5, 100% {braces}")).toBe("cost $5, 100% {braces}");
  });
});
