import { ClientSecretCredential } from '@azure/identity';
import { AzureIdentityAuthenticationProvider } from '@microsoft/kiota-authentication-azure';
import { GraphRequestAdapter } from '@microsoft/msgraph-sdk';
import { createManagedDeviceCollectionResponseFromDiscriminatorValue, createManagedDeviceFromDiscriminatorValue } from '@microsoft/msgraph-sdk/models/index.js';
import { RequestInformation, HttpMethod } from '@microsoft/kiota-abstractions';
const url = process.argv[2];
const cred = new ClientSecretCredential('contoso', 'global-administrator', 'global-administrator', { authorityHost: url, disableInstanceDiscovery: true });
const auth = new AzureIdentityAuthenticationProvider(cred, ['https://graph.microsoft.com/.default'], undefined, new Set([new URL(url).hostname]));
const adapter = new GraphRequestAdapter(auth);
adapter.baseUrl = `${url}/v1.0`;
try {
  const list = new RequestInformation(HttpMethod.GET, '{+baseurl}/deviceManagement/managedDevices{?%24top,%24filter}');
  list.pathParameters.baseurl = adapter.baseUrl;
  list.queryParameters['%24top'] = 3;
  const page = await adapter.send(list, createManagedDeviceCollectionResponseFromDiscriminatorValue, undefined);
  console.log('kiota list', page.value.length, page.odataNextLink, page.value[0].deviceName, page.value[0].enrolledDateTime);
  const id = page.value[0].id;
  const one = new RequestInformation(HttpMethod.GET, '{+baseurl}/deviceManagement/managedDevices/{managedDevice%2Did}');
  one.pathParameters.baseurl = adapter.baseUrl; one.pathParameters['managedDevice%2Did'] = id;
  const d = await adapter.send(one, createManagedDeviceFromDiscriminatorValue, undefined);
  console.log('kiota get', d.id, d.operatingSystem, JSON.stringify(d.deviceActionResults));
  const lock = new RequestInformation(HttpMethod.POST, '{+baseurl}/deviceManagement/managedDevices/{managedDevice%2Did}/remoteLock');
  lock.pathParameters.baseurl = adapter.baseUrl; lock.pathParameters['managedDevice%2Did'] = id;
  await adapter.sendNoResponseContent(lock, undefined);
  console.log('kiota lock ok');
} catch (e) { console.log('ERR', e.responseStatusCode, e.name, e.message?.slice(0, 300), JSON.stringify(e.error ?? '').slice(0,300)); }
