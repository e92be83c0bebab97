import { ClientSecretCredential } from '@azure/identity';
const url = process.argv[2];
const cred = new ClientSecretCredential('contoso', 'global-administrator', 'global-administrator', { authorityHost: url });
try {
  const t = await cred.getToken('https://graph.microsoft.com/.default');
  console.log('token ok', t.token.length, t.expiresOnTimestamp);
} catch (e) { console.log('ERR', e.name, e.message.slice(0, 800)); }
