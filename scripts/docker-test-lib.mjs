// Helpers of scripts/docker-test.mjs: bounded child processes, the OS packages it needs, podman's
// settings for this kind of machine, and the cached Debian trixie base image.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const CACHE_DIR = process.env.DOCKER_TEST_CACHE ?? '/var/cache/rocketmq-ts-docker';
const CONTAINERS_CONF = path.join(CACHE_DIR, 'containers.conf');

/** What the base root file system holds; its hash names the cached tarball and image. */
const BASE = {
  suite: 'trixie', // Debian 13: its nodejs is 20.19 (bookworm's is 18)
  variant: 'minbase',
  include: ['nodejs', 'passwd'], // passwd: groupadd/useradd for the Dockerfile
  mirror: 'http://deb.debian.org/debian',
};
const APT_PACKAGES = [
  'podman',
  'runc',
  'mmdebstrap',
  'podman-compose',
  'golang-github-containernetworking-plugin-dnsname',
];
const TOOL_FILES = [
  '/usr/bin/podman',
  '/usr/sbin/runc',
  '/usr/bin/mmdebstrap',
  '/usr/bin/podman-compose',
  '/usr/lib/cni/dnsname',
];

const children = new Set();
let refusing = false;

/** From now on only commands marked `cleanup` start (what is running is ended by stopAllChildren). */
export function refuseNewCommands() {
  refusing = true;
}

/**
 * Runs a command to its end, at most `timeoutMs` (then SIGTERM, SIGKILL 5 s later). Resolves with
 * { code, signal, out } (stdout and stderr together); rejects unless `allowFail` when it fails.
 */
export function run(
  command,
  args,
  { timeoutMs = 120_000, allowFail = false, env, cwd, log, quiet = true, cleanup = false } = {},
) {
  return new Promise((resolve, reject) => {
    if (refusing && !cleanup) {
      reject(new Error(`${command}: not started, the test is ending`));
      return;
    }
    // own process group, so that a timeout also ends what it started (podman-compose's podman run)
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, CONTAINERS_CONF, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    children.add(child);
    let out = '';
    const take = (chunk) => {
      out += chunk;
      if (!quiet) process.stdout.write(chunk);
      if (log !== undefined) fs.appendFileSync(log, chunk);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      stopChild(child);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      children.delete(child);
      reject(new Error(`${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      const result = { code, signal, out };
      if (timedOut)
        reject(new Error(`${command} ${args.join(' ')}: no end within ${timeoutMs / 1000} s\n${tail(out)}`));
      else if (code !== 0 && !allowFail)
        reject(new Error(`${command} ${args.join(' ')}: exit ${code ?? signal}\n${tail(out)}`));
      else resolve(result);
    });
  });
}

/** Starts a long-running child (a Java client) whose output is read while it runs. */
export function start(command, args, { cwd, log } = {}) {
  if (refusing) throw new Error(`${command}: not started, the test is ending`);
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  child.lines = [];
  let partial = '';
  const take = (chunk) => {
    if (log !== undefined) fs.appendFileSync(log, chunk);
    const parts = (partial + chunk).split('\n');
    partial = parts.pop();
    child.lines.push(...parts);
  };
  child.stdout.setEncoding('utf8').on('data', take);
  child.stderr.setEncoding('utf8').on('data', take);
  child.ended = new Promise((resolve) =>
    child.on('close', (code, signal) => {
      children.delete(child);
      if (partial !== '') child.lines.push(partial);
      resolve(code ?? signal);
    }),
  );
  return child;
}

/** SIGTERM to the child's process group, SIGKILL 5 s later if the child is still there. */
export function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  };
  signalGroup('SIGTERM');
  setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) signalGroup('SIGKILL');
  }, 5000).unref();
}

/** Ends every child this script started (on failure, timeout or Ctrl-C). */
export function stopAllChildren() {
  for (const child of children) stopChild(child);
}

export function tail(text, lines = 25) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Fails clearly when one of `ports` is taken on 127.0.0.1. */
export async function checkPortsFree(ports) {
  for (const port of ports) {
    const problem = await new Promise((resolve) => {
      const server = net.createServer();
      server.once('error', (error) => resolve(error.code));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(undefined)));
    });
    if (problem !== undefined) {
      throw new Error(
        `port ${port} on 127.0.0.1 is not free (${problem}): stop what listens there (a NameServer or broker?) and run again`,
      );
    }
  }
}

/** Installs podman, runc, mmdebstrap, podman-compose and CNI's dnsname plugin when one is missing. */
export async function ensureTools() {
  const missing = TOOL_FILES.filter((file) => !fs.existsSync(file));
  if (missing.length === 0) return 'already installed';
  const apt = ['-o', 'DPkg::Lock::Timeout=300', '-q'];
  await run('apt-get', [...apt, 'update'], { timeoutMs: 300_000 });
  await run('apt-get', [...apt, 'install', '-y', '--no-install-recommends', ...APT_PACKAGES], {
    timeoutMs: 600_000,
    env: { DEBIAN_FRONTEND: 'noninteractive' },
  });
  return `installed (${missing.join(', ')} were missing)`;
}

/**
 * podman-compose 1.0.6 from PyPI in a venv under CACHE_DIR, for compose files with `network_mode: host`:
 * Debian's 1.0.3 also adds the project's default network to such a service, which podman refuses
 * ("cannot set multiple networks without bridge network mode"); 1.0.6 passes only `--network host`.
 */
export async function ensureHostNetworkCompose() {
  const venv = path.join(CACHE_DIR, 'podman-compose-1.0.6');
  const bin = path.join(venv, 'bin', 'podman-compose');
  if (fs.existsSync(bin)) return { bin, how: 'cached' };
  fs.rmSync(venv, { recursive: true, force: true });
  await run('python3', ['-m', 'venv', venv], { timeoutMs: 120_000 });
  await run(path.join(venv, 'bin', 'pip'), ['install', '-q', '--disable-pip-version-check', 'podman-compose==1.0.6'], {
    timeoutMs: 300_000,
  });
  return { bin, how: 'installed from PyPI' };
}

/**
 * podman's defaults that fail on this kind of machine: crun refuses the host's hybrid cgroups
 * (runc works), and default ulimits above the container's limits cannot be raised.
 */
export function writeContainersConf() {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  fs.writeFileSync(
    CONTAINERS_CONF,
    [
      '# written by scripts/docker-test.mjs',
      '[containers]',
      'default_ulimits = ["nofile=16384:16384", "nproc=16384:16384"]',
      'log_driver = "k8s-file"',
      '[engine]',
      'runtime = "runc"',
      '[network]',
      'network_backend = "cni"',
      '',
    ].join('\n'),
  );
  return CONTAINERS_CONF;
}

/** The trixie + nodejs base image: built with mmdebstrap once, cached as a tarball, imported once. */
export async function ensureBaseImage() {
  const key = crypto.createHash('sha256').update(JSON.stringify(BASE)).digest('hex').slice(0, 12);
  const image = `localhost/rocketmq-ts-base:${BASE.suite}-${key}`;
  const tarball = path.join(CACHE_DIR, `base-${BASE.suite}-${key}.tar`);
  const steps = [];
  if (!fs.existsSync(tarball)) {
    const partial = `${tarball}.partial`;
    fs.rmSync(partial, { force: true });
    await run(
      'mmdebstrap',
      [
        `--variant=${BASE.variant}`,
        `--include=${BASE.include.join(',')}`,
        '--mode=root',
        '--format=tar',
        BASE.suite,
        partial,
        BASE.mirror,
      ],
      { timeoutMs: 900_000 },
    );
    fs.renameSync(partial, tarball);
    steps.push('root file system built with mmdebstrap');
  }
  const exists = await run('podman', ['image', 'exists', image], { allowFail: true });
  if (exists.code !== 0) {
    await run('podman', ['import', '--change', 'CMD ["/bin/sh"]', tarball, image], { timeoutMs: 300_000 });
    steps.push('imported');
  }
  return { image, how: steps.length === 0 ? 'cached' : steps.join(', ') };
}
