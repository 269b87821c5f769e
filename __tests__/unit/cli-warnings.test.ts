import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const repo = join(__dirname, "..", "..");

describe("lakehouse stderr", () => {
  test("an AWS command prints its error alone, without the AWS SDK's Node version warning", async () => {
    const port = await new Promise<number>((done) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => done(port));
      });
    });
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_MAX_ATTEMPTS: "1" };
    delete env.AWS_PROFILE;
    const result = spawnSync(process.execPath, [join(repo, "bin", "lakehouse.js"), "job", "runs", "batch"], { cwd: tmpdir(), env, encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^lakehouse: listing runs of Glue job shoplake-dev-batch failed: could not reach the AWS endpoint \(ECONNREFUSED\)[^\n]*\n$/);
  });
});
