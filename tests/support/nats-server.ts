/**
 * The cluster suites' nats-server (Debian's package, which `npm test` installs when it is
 * missing: scripts/ensure-system-packages.sh): the examples' launcher, which fails naming
 * the package when there is none.
 */
export { LocalNatsServer as NatsServer, natsServerPath } from '../../examples/support/local-nats-server';
