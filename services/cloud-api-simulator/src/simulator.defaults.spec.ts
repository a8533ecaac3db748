import { DEV_SIMULATOR_DEFAULTS, resolveSimulatorOptions } from './simulator.defaults';

const app = {
  appSecret: 's',
  webhookUrl: 'http://127.0.0.1:1/hook',
  phoneNumbers: [{ phoneNumberId: '1', displayPhoneNumber: '15550000001', wabaId: '2' }],
};

describe('resolveSimulatorOptions', () => {
  it('fills the documented defaults', () => {
    const resolved = resolveSimulatorOptions({ apps: [app] });
    expect(resolved).toMatchObject({
      host: '127.0.0.1',
      port: 3900,
      accessToken: 'dev-access-token',
      statusDelayMs: 50,
      autoStatuses: ['sent', 'delivered', 'read'],
      throughputMps: 80,
      pairLimit: { messages: 45, windowMs: 6000 },
    });
    expect(resolved.log('x')).toBeUndefined();
  });

  it("keeps Meta's status order whatever order is given", () => {
    expect(resolveSimulatorOptions({ apps: [app], autoStatuses: ['read', 'sent'] }).autoStatuses).toEqual([
      'sent',
      'read',
    ]);
  });

  it('refuses a simulator without numbers or with a number owned twice', () => {
    expect(() => resolveSimulatorOptions({ apps: [] })).toThrow('at least one');
    expect(() => resolveSimulatorOptions({ apps: [app, app] })).toThrow('one app only');
  });

  it('describes the development tenant', () => {
    expect(DEV_SIMULATOR_DEFAULTS).toEqual({
      host: '127.0.0.1',
      port: 3900,
      accessToken: 'dev-access-token',
      appSecret: 'dev-app-secret',
      webhookUrl: 'http://127.0.0.1:3000/webhooks/whatsapp',
      phoneNumberId: '100000000000001',
      displayPhoneNumber: '15550000001',
      wabaId: '200000000000001',
    });
  });
});
