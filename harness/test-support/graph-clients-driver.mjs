// Drives a lockstep server with Microsoft's own, unmodified Graph clients, configured only with
// the server's URL (and, through NODE_EXTRA_CA_CERTS, trusting its certificate). Run by
// harness/graph-clients.e2e.test.ts in a child process; prints one JSON object with what it saw.
//   node graph-clients-driver.mjs URL '{"filter":"...","resetId":"...","lockId":"..."}'
import { ClientSecretCredential } from '@azure/identity';
import { Client, PageIterator } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { AzureIdentityAuthenticationProvider } from '@microsoft/kiota-authentication-azure';
import { HttpMethod, RequestInformation } from '@microsoft/kiota-abstractions';
import { GraphRequestAdapter } from '@microsoft/msgraph-sdk';
import { createManagedDeviceCollectionResponseFromDiscriminatorValue, createManagedDeviceFromDiscriminatorValue } from '@microsoft/msgraph-sdk/models/index.js';
import { GraphBetaRequestAdapter } from '@microsoft/msgraph-beta-sdk';
import { createManagedDeviceFromDiscriminatorValue as createBetaManagedDevice } from '@microsoft/msgraph-beta-sdk/models/index.js';

const url = process.argv[2];
const plan = JSON.parse(process.argv[3]);
const SCOPES = ['https://graph.microsoft.com/.default'];
const host = new URL(url).hostname;
const out = {};

// The sign-in: Entra's client-credentials flow against lockstep as the authority. Instance
// discovery is Microsoft's cloud-wide lookup at login.microsoftonline.com; off, as for any
// authority outside Microsoft's public cloud (and nothing here may leave loopback).
const credential = new ClientSecretCredential('contoso.onmicrosoft.com', 'global-administrator', 'global-administrator', {
  authorityHost: url,
  disableInstanceDiscovery: true,
});
const token = await credential.getToken(SCOPES);
out.tokenLength = token.token.length;
out.tokenExpiresInFuture = token.expiresOnTimestamp > Date.now();

// @microsoft/microsoft-graph-client 3.x: the admin scripts' client.
const client = Client.initWithMiddleware({
  authProvider: new TokenCredentialAuthenticationProvider(credential, { scopes: SCOPES }),
  baseUrl: url,
  defaultVersion: 'beta',
  customHosts: new Set([host]),
});
const first = await client.api('/deviceManagement/managedDevices').top(999).select('id,deviceName').get();
const ids = [];
await new PageIterator(client, first, (device) => {
  ids.push(device.id);
  return true;
}).iterate();
out.pagedIds = ids;
const filtered = await client.api('/deviceManagement/managedDevices').filter(plan.filter).select('id').top(999).get();
out.filteredIds = filtered.value.map((d) => d.id);
out.filteredNextLink = filtered['@odata.nextLink'] ?? null;
const one = await client.api(`/deviceManagement/managedDevices/${plan.resetId}`).get();
out.gotDevice = { id: one.id, complianceState: one.complianceState, azureADDeviceId: one.azureADDeviceId };
await client.api(`/deviceManagement/managedDevices/${plan.resetId}/resetPasscode`).post({});
await client.api(`/deviceManagement/managedDevices/${plan.lockId}/remoteLock`).post({});
const results = await client.api(`/deviceManagement/managedDevices/${plan.resetId}`).select('deviceActionResults').get();
out.resetResults = results.deviceActionResults.map((r) => ({ actionName: r.actionName, actionState: r.actionState }));
let badStatus = null;
try {
  await client.api('/deviceManagement/managedDevices').filter("lastSyncDateTime gt 'x'").get();
} catch (error) {
  badStatus = { statusCode: error.statusCode, code: error.code };
}
out.badFilter = badStatus;
// A burst past the server's rate: the client's RetryHandler waits out Retry-After.
const burst = [];
for (let i = 0; i < plan.burst; i++) burst.push(client.api('/deviceManagement/managedDevices').top(1).select('id').get().then(() => 'ok', (e) => `error ${e.statusCode}`));
out.graphClientBurst = await Promise.all(burst);

// The Kiota SDKs (@microsoft/msgraph-sdk for v1.0, -beta-sdk for beta). Their deviceManagement fluent
// packages are not on npm, so requests are built as those packages build them, on the SDKs' own
// request adapters, authentication provider and models.
const kiotaAuth = new AzureIdentityAuthenticationProvider(credential, SCOPES, undefined, new Set([host]));
async function kiota(adapter, version, createDevice, lockId) {
  adapter.baseUrl = `${url}/${version}`;
  const list = new RequestInformation(HttpMethod.GET, '{+baseurl}/deviceManagement/managedDevices{?%24top,%24filter}');
  list.pathParameters.baseurl = adapter.baseUrl;
  list.queryParameters['%24top'] = 5;
  list.queryParameters['%24filter'] = plan.filter;
  const page = await adapter.send(list, createManagedDeviceCollectionResponseFromDiscriminatorValue, undefined);
  const lock = new RequestInformation(HttpMethod.POST, '{+baseurl}/deviceManagement/managedDevices/{managedDevice%2Did}/remoteLock');
  lock.pathParameters.baseurl = adapter.baseUrl;
  lock.pathParameters['managedDevice%2Did'] = lockId;
  let lockError = null;
  try {
    await adapter.sendNoResponseContent(lock, undefined);
  } catch (error) {
    lockError = error.responseStatusCode ?? String(error);
  }
  // Read back after the lock: the device and its deviceActionResults, parsed by the SDK's own model.
  const get = new RequestInformation(HttpMethod.GET, '{+baseurl}/deviceManagement/managedDevices/{managedDevice%2Did}');
  get.pathParameters.baseurl = adapter.baseUrl;
  get.pathParameters['managedDevice%2Did'] = lockId;
  const device = await adapter.send(get, createDevice, undefined);
  return {
    listed: page.value.map((d) => d.id),
    device: { id: device.id, operatingSystem: device.operatingSystem, results: (device.deviceActionResults ?? []).map((r) => `${r.actionName}:${r.actionState}`) },
    lockError,
  };
}
out.kiotaV1 = await kiota(new GraphRequestAdapter(kiotaAuth), 'v1.0', createManagedDeviceFromDiscriminatorValue, plan.kiotaLockIds[0]);
out.kiotaBeta = await kiota(new GraphBetaRequestAdapter(kiotaAuth), 'beta', createBetaManagedDevice, plan.kiotaLockIds[1]);

// Kiota's RetryHandler against the same throttle: a burst past the rate, every answer a 200 in the end.
const kiotaAdapter = new GraphRequestAdapter(kiotaAuth);
kiotaAdapter.baseUrl = `${url}/v1.0`;
const kiotaBurst = [];
for (let i = 0; i < plan.burst; i++) {
  const one = new RequestInformation(HttpMethod.GET, '{+baseurl}/deviceManagement/managedDevices{?%24top,%24select}');
  one.pathParameters.baseurl = kiotaAdapter.baseUrl;
  one.queryParameters['%24top'] = 1;
  one.queryParameters['%24select'] = ['id'];
  kiotaBurst.push(kiotaAdapter.send(one, createManagedDeviceCollectionResponseFromDiscriminatorValue, undefined).then(() => 'ok', (e) => `error ${e.responseStatusCode ?? e}`));
}
out.kiotaBurst = await Promise.all(kiotaBurst);
out.offLoopback = globalThis.offLoopback ?? null;

process.stdout.write(JSON.stringify(out) + '\n');
