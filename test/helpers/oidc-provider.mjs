// A real OpenID provider (the oidc-provider package) on loopback, for the single sign-on test: one
// confidential client, accounts named by whatever login is typed at its development login form, and a
// `uscc` claim (统一社会信用代码) for the account `unit-a`. Prints "ready" once it listens.
// PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI come from the environment.
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const USCC = { 'unit-a': '91330481MA2B3C4D01' };
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: [process.env.REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  claims: { openid: ['sub'], uscc: ['uscc'] },
  scopes: ['openid', 'uscc'],
  async findAccount(_ctx, id) {
    return { accountId: id, claims: async () => ({ sub: id, ...(USCC[id] ? { uscc: USCC[id] } : {}) }) };
  },
  cookies: { keys: ['test-only-cookie-key'] },
});
provider.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
