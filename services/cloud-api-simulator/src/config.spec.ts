import { loadSimulatorOptions } from './config';

describe('loadSimulatorOptions', () => {
  it('is the development tenant when nothing is set', () => {
    expect(loadSimulatorOptions({})).toEqual({
      host: '127.0.0.1',
      port: 3900,
      accessToken: 'dev-access-token',
      statusDelayMs: 50,
      apps: [
        {
          appSecret: 'dev-app-secret',
          webhookUrl: 'http://127.0.0.1:3000/webhooks/whatsapp',
          phoneNumbers: [
            { phoneNumberId: '100000000000001', displayPhoneNumber: '15550000001', wabaId: '200000000000001' },
          ],
        },
      ],
    });
  });

  it('reads every variable', () => {
    expect(
      loadSimulatorOptions({
        SIMULATOR_HOST: '0.0.0.0',
        SIMULATOR_PORT: '3901',
        SIMULATOR_ACCESS_TOKEN: 'tok',
        SIMULATOR_APP_SECRET: 'sec',
        SIMULATOR_WEBHOOK_URL: 'http://gateway:3000/webhooks/whatsapp',
        SIMULATOR_PHONE_NUMBER_ID: '9',
        SIMULATOR_DISPLAY_NUMBER: '15550009999',
        SIMULATOR_WABA_ID: '8',
        SIMULATOR_STATUS_DELAY_MS: '5',
      }),
    ).toEqual({
      host: '0.0.0.0',
      port: 3901,
      accessToken: 'tok',
      statusDelayMs: 5,
      apps: [
        {
          appSecret: 'sec',
          webhookUrl: 'http://gateway:3000/webhooks/whatsapp',
          phoneNumbers: [{ phoneNumberId: '9', displayPhoneNumber: '15550009999', wabaId: '8' }],
        },
      ],
    });
  });
});
