import { ClientSecretCredential } from '@azure/identity';
import { Client, PageIterator } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
const url = process.argv[2];
const cred = new ClientSecretCredential('contoso', 'global-administrator', 'global-administrator', { authorityHost: url, disableInstanceDiscovery: true });
const authProvider = new TokenCredentialAuthenticationProvider(cred, { scopes: ['https://graph.microsoft.com/.default'] });
const client = Client.initWithMiddleware({ authProvider, baseUrl: url, defaultVersion: 'beta', customHosts: new Set([new URL(url).hostname]) });
try {
  const first = await client.api('/deviceManagement/managedDevices').top(999).select('id,deviceName').get();
  let n = 0;
  const it = new PageIterator(client, first, () => { n++; return true; });
  await it.iterate();
  console.log('paged', n);
  const id = first.value[0].id;
  const d = await client.api(`/deviceManagement/managedDevices/${id}`).get();
  console.log('get', d.deviceName);
  await client.api(`/deviceManagement/managedDevices/${id}/resetPasscode`).post({});
  const r = await client.api(`/deviceManagement/managedDevices/${id}`).select('deviceActionResults').get();
  console.log('results', JSON.stringify(r.deviceActionResults));
} catch (e) { console.log('ERR', e.statusCode, e.code, e.message.slice(0, 500)); }
