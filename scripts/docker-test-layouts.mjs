// The two compose layouts `npm run docker-test` runs, one after the other on the same image:
//   rmq4   docker/docker-compose.yml       NameServer + broker-a + broker-b (apache/rocketmq-docker's rmq4 file)
//   2m-2s  docker/docker-compose-2m-2s.yml NameServer + two SYNC_MASTER/SLAVE groups on the host's network
// Each names its containers (with the boot line each prints), the conf files copied next to the compose
// file, the folders the image's user (uid 3000) must be able to write, and the host ports it needs free.

function broker(container, data, name, port, role) {
  return { container, data, broker: name, role, boot: `The broker[${name}, 127.0.0.1:${port}] boot success.` };
}

const NAMESRV_BOOT = 'The Name Server boot success. serializeType=JSON';

export const RMQ4 = {
  name: 'rmq4',
  file: 'docker-compose.yml',
  servers: [
    { container: 'rmqnamesrv', data: 'data/namesrv', boot: NAMESRV_BOOT },
    broker('rmqbroker', 'data/broker', 'broker-a', 10911, 'ASYNC_MASTER'),
    broker('rmqbroker-b', 'data1/broker', 'broker-b', 10931, 'ASYNC_MASTER'),
  ],
  confs: ['data/broker/conf/broker.conf', 'data1/broker/conf/broker.conf'],
  dirs: ['data/namesrv/logs', 'data/broker/logs', 'data/broker/store', 'data1/broker/logs', 'data1/broker/store'],
  ports: [9876, 10909, 10911, 10912, 10929, 10931, 10932],
};

const GROUPS = [
  ['broker-a', 10911],
  ['broker-a-s', 10921],
  ['broker-b', 10931],
  ['broker-b-s', 10941],
];

export const TWO_MASTERS_TWO_SLAVES = {
  name: '2m-2s',
  file: 'docker-compose-2m-2s.yml',
  servers: [
    { container: 'rmqnamesrv', data: '2m-2s/namesrv', boot: NAMESRV_BOOT },
    ...GROUPS.map(([name, port]) =>
      broker(
        `rmq${name}`,
        `2m-2s/${name}`,
        name.replace(/-s$/, ''),
        port,
        name.endsWith('-s') ? 'SLAVE' : 'SYNC_MASTER',
      ),
    ),
  ],
  confs: GROUPS.map(([name]) => `2m-2s/${name}/conf/broker.conf`),
  dirs: ['2m-2s/namesrv/logs', ...GROUPS.flatMap(([name]) => [`2m-2s/${name}/logs`, `2m-2s/${name}/store`])],
  ports: [9876, ...GROUPS.flatMap(([, port]) => [port - 2, port, port + 1])],
};

export const LAYOUTS = [RMQ4, TWO_MASTERS_TWO_SLAVES];

/** Every container name of every layout (an earlier run may have left any of them). */
export const ALL_CONTAINERS = [
  ...new Set(LAYOUTS.flatMap((layout) => layout.servers.map((server) => server.container))),
];
