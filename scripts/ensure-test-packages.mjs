// The Debian packages `npm test` needs beyond Node, the JDK and Maven, installed when missing (as root;
// CI runs as root on a fresh machine): Chromium for the console's browser test, iptables and iproute2
// for NetFaultsTest's namespaces and faults. podman and the rest of the container tools are installed
// by scripts/docker-test-lib.mjs when the container test starts. Prints what it did; throws when a
// package is missing and cannot be installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const NEEDED = [
  { file: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', pkg: 'chromium' },
  { file: '/usr/sbin/iptables', pkg: 'iptables' },
  { file: '/usr/sbin/ip', pkg: 'iproute2' },
];

function apt(args) {
  const run = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', '-q', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    timeout: 900_000,
  });
  return run.status === 0 ? '' : `apt-get ${args.join(' ')}: exit ${run.status}\n${(run.stderr ?? '').slice(-2000)}`;
}

export function ensureTestPackages() {
  const missing = NEEDED.filter(({ file }) => !fs.existsSync(file));
  if (missing.length === 0) return 'present';
  const names = missing.map(({ pkg }) => pkg);
  if (process.getuid?.() !== 0)
    throw new Error(`missing ${names.join(', ')}; install them (apt-get install ${names.join(' ')}) or run as root`);
  let problem = apt(['install', '-y', ...names]);
  if (problem !== '') problem = apt(['update']) || apt(['install', '-y', ...names]);
  if (problem !== '') throw new Error(problem);
  const still = missing.filter(({ file }) => !fs.existsSync(file));
  if (still.length > 0)
    throw new Error(`still missing after apt-get install: ${still.map(({ file }) => file).join(', ')}`);
  return `installed ${names.join(', ')}`;
}
