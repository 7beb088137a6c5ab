// A throwaway OAuth 2.0 server for the gateway tests (oidc-provider, certified): client_credentials with opaque
// access tokens for one resource, checked by the new API through introspection (RFC 7662).
// Reads OIDC_PORT and OIDC_CLIENTS (a JSON file: [{ "client_id": ..., "client_secret": ... }]).
import fs from 'node:fs';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const clients = JSON.parse(fs.readFileSync(process.env.OIDC_CLIENTS, 'utf8'));
const resource = 'urn:keyshift:test-new-api';

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: clients.map((c) => ({
    client_id: c.client_id,
    client_secret: c.client_secret,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'charges',
  })),
  scopes: ['charges'],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: {
      enabled: true,
      // The new API introspects tokens issued to the consumers for its resource.
      allowedPolicy: async () => true,
    },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({ scope: 'charges', accessTokenFormat: 'opaque', accessTokenTTL: Number(process.env.OIDC_TOKEN_TTL || 600) }),
    },
  },
});
provider.proxy = false;
provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider on http://127.0.0.1:${port}`));
