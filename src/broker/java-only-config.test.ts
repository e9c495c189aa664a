import { expect } from 'chai';
import { bindProperties } from '../common/java-properties';
import { defaultMessageStoreConfig } from '../store/message-store-config';
import { defaultBrokerConfig } from './broker-config';
import { JAVA_CONFIG_KEY_ORDER } from './java-only-config';
import { unimplementedSafetySettings } from './unimplemented-config';

describe('Java-only broker config keys (getBrokerConfig reports all of Java 4.7.1)', () => {
  it('has a value for every key Java GET_BROKER_CONFIG prints (haMasterAddress only when set, as Java)', () => {
    const ours = { ...defaultBrokerConfig(), ...defaultMessageStoreConfig('/tmp/h') } as Record<string, unknown>;
    const missing = JAVA_CONFIG_KEY_ORDER.filter(
      (key) => ours[key] === undefined || (ours[key] === null && key !== 'haMasterAddress'),
    );
    expect(missing).to.deep.equal([]);
    expect(JAVA_CONFIG_KEY_ORDER).to.have.length(162);
    expect(new Set(JAVA_CONFIG_KEY_ORDER).size).to.equal(JAVA_CONFIG_KEY_ORDER.length);
  });

  it('accepts, keeps and types the keys it only reports (a broker.conf written for Java loads)', () => {
    const config = defaultBrokerConfig();
    const store = defaultMessageStoreConfig('/tmp/h');
    const properties = new Map([
      ['clientWorkerThreads', '6'],
      ['commercialEnable', 'false'],
      ['transientStorePoolEnable', 'true'],
      ['messageStorePlugIn', 'x'],
    ]);
    const refusedByBroker = bindProperties(config, properties);
    const refusedByStore = bindProperties(store, properties);
    expect(refusedByBroker.filter((key) => refusedByStore.includes(key))).to.deep.equal([]);
    expect(config.clientWorkerThreads).to.equal(6);
    expect(config.commercialEnable).to.equal(false);
    expect(config.messageStorePlugIn).to.equal('x');
    expect(store.transientStorePoolEnable).to.equal(true);
  });

  it('still refuses the ones whose ignored value would break a promise (useTLS, DLedger, ...)', () => {
    expect(
      unimplementedSafetySettings(
        new Map([
          ['useTLS', 'true'],
          ['enableDLegerCommitLog', 'false'],
        ]),
      ),
    ).to.have.length(1);
  });
});
