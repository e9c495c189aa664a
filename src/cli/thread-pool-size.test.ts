import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

function poolSizeIn(env: NodeJS.ProcessEnv): string {
  const script =
    `require(${JSON.stringify(path.join(__dirname, 'thread-pool-size.js'))}); ` +
    'process.stdout.write(process.env.UV_THREADPOOL_SIZE);';
  const run = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8', timeout: 20_000 });
  expect(run.status, run.stderr).to.equal(0);
  return run.stdout;
}

describe('thread pool size of the CLI entry points', () => {
  it('is 16 unless the operator chose one', () => {
    const env = { ...process.env };
    delete env.UV_THREADPOOL_SIZE;
    expect(poolSizeIn(env)).to.equal('16');
    expect(poolSizeIn({ ...env, UV_THREADPOOL_SIZE: '3' })).to.equal('3');
  });
});
