// A real OpenID Connect provider for Reclaim's tests, built on oidc-provider.
//
// It uses oidc-provider's development interactions: a login page that accepts any login name
// and any password, then a consent page. Nothing here is fit for production.
//
// Configuration (command-line arguments win over environment variables):
//   --port N            / OIDC_PORT            port on 127.0.0.1; 0 (default) picks a free one
//   --issuer URL        / OIDC_ISSUER          issuer; default http://127.0.0.1:<port>
//   OIDC_REDIRECT_URIS       comma-separated redirect URIs allowed for both clients (required)
//   OIDC_POST_LOGOUT_REDIRECT_URIS  comma-separated post-logout redirect URIs (optional)
//   OIDC_CLIENT_ID           id of the secret-based client (default reclaim-test)
//   OIDC_CLIENT_SECRET       its secret (default: random, printed in the ready line)
//   OIDC_CLIENT_AUTH_METHOD  client_secret_basic (default) or client_secret_post
//   OIDC_PKJWT_CLIENT_ID     id of the private_key_jwt client (default reclaim-pkjwt)
//   OIDC_PKJWT_JWKS          public JWKS (JSON) of that client; without it the client is omitted
//   OIDC_CORE_IDENTITY_ISSUER  with OIDC_CORE_IDENTITY_JWK (a private EC P-256 JWK, JSON, with its
//                            kid): userinfo offers GOV.UK One Login's core identity JWT under
//                            https://vocab.account.gov.uk/v1/coreIdentityJWT (asked for through
//                            the claims parameter), signed ES256 with that key by that issuer
//
// Who logs in decides the claims:
//   sub          the login name
//   email        <login>@example.test, email_verified true
//   given_name   the login name, family_name "Tester", name "<login> Tester"
//   birthdate    1990-01-01, or YYYY-MM-DD when the login contains "born-YYYY-MM-DD"
//   vot          "Cl" when the login starts with "low-", otherwise "Cl.Cm.P2" (in the ID token,
//                as GOV.UK One Login does), with vtm "<issuer>/trustmark"
//   core identity JWT (when configured, userinfo only; none when the login starts with
//                "no-identity-"): sub the login, aud the client id, vot "Cl" for "low-" logins
//                else "P2", 10 minutes' life; credentialSubject.name an older name
//                (validUntil 2019-12-31, FamilyName "Formerly") then the current one, GivenName
//                the login capitalised ("ada" -> "Ada") and FamilyName "Tester"; birthDate as
//                birthdate above
//
// When it listens it prints one JSON line on stdout: {"ready": true, "issuer", "port", ...}.
// It exits on SIGTERM/SIGINT and when its stdin closes (so it dies with the test process).

import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    issuer: { type: 'string' },
  },
});

const list = (value) => (value || '').split(',').map((item) => item.trim()).filter(Boolean);

const requestedPort = Number.parseInt(args.port ?? process.env.OIDC_PORT ?? '0', 10);
const redirectUris = list(process.env.OIDC_REDIRECT_URIS);
const postLogoutRedirectUris = list(process.env.OIDC_POST_LOGOUT_REDIRECT_URIS);
const clientId = process.env.OIDC_CLIENT_ID || 'reclaim-test';
const clientSecret = process.env.OIDC_CLIENT_SECRET || randomBytes(24).toString('base64url');
const clientAuthMethod = process.env.OIDC_CLIENT_AUTH_METHOD || 'client_secret_basic';
const pkjwtClientId = process.env.OIDC_PKJWT_CLIENT_ID || 'reclaim-pkjwt';
const pkjwtJwks = process.env.OIDC_PKJWT_JWKS ? JSON.parse(process.env.OIDC_PKJWT_JWKS) : null;
const coreIdentityIssuer = process.env.OIDC_CORE_IDENTITY_ISSUER || null;
const coreIdentityJwk = process.env.OIDC_CORE_IDENTITY_JWK
  ? JSON.parse(process.env.OIDC_CORE_IDENTITY_JWK) : null;
const CORE_IDENTITY_CLAIM = 'https://vocab.account.gov.uk/v1/coreIdentityJWT';

if (Boolean(coreIdentityIssuer) !== Boolean(coreIdentityJwk)) {
  process.stderr.write('provider.mjs: set OIDC_CORE_IDENTITY_ISSUER and OIDC_CORE_IDENTITY_JWK together\n');
  process.exit(2);
}

if (redirectUris.length === 0) {
  process.stderr.write('provider.mjs: OIDC_REDIRECT_URIS must list at least one redirect URI\n');
  process.exit(2);
}

function claimsFor(login, issuer) {
  const born = /born-(\d{4}-\d{2}-\d{2})/.exec(login);
  return {
    sub: login,
    email: `${login}@example.test`,
    email_verified: true,
    given_name: login,
    family_name: 'Tester',
    name: `${login} Tester`,
    birthdate: born ? born[1] : '1990-01-01',
    vot: login.startsWith('low-') ? 'Cl' : 'Cl.Cm.P2',
    vtm: `${issuer}/trustmark`,
  };
}

const base64url = (value) => Buffer.from(value).toString('base64url');

// GOV.UK One Login's core identity JWT, signed ES256 (JWS signatures are r||s, not DER).
function coreIdentityJwt(login, audience) {
  const born = /born-(\d{4}-\d{2}-\d{2})/.exec(login);
  const given = login.charAt(0).toUpperCase() + login.slice(1);
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'ES256', typ: 'JWT', kid: coreIdentityJwk.kid };
  const payload = {
    iss: coreIdentityIssuer,
    sub: login,
    aud: audience,
    iat: now,
    nbf: now,
    exp: now + 600,
    vot: login.startsWith('low-') ? 'Cl' : 'P2',
    vtm: `${coreIdentityIssuer.replace(/\/$/, '')}/trustmark`,
    vc: {
      type: ['VerifiableCredential', 'IdentityCheckCredential'],
      credentialSubject: {
        name: [
          {
            validUntil: '2019-12-31',
            nameParts: [
              { type: 'GivenName', value: given },
              { type: 'FamilyName', value: 'Formerly' },
            ],
          },
          {
            validFrom: '2020-01-01',
            nameParts: [
              { type: 'GivenName', value: given },
              { type: 'FamilyName', value: 'Tester' },
            ],
          },
        ],
        birthDate: [{ value: born ? born[1] : '1990-01-01' }],
      },
    },
  };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const key = createPrivateKey({ key: coreIdentityJwk, format: 'jwk' });
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

function configuration(issuer) {
  const common = {
    redirect_uris: redirectUris,
    post_logout_redirect_uris: postLogoutRedirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
  };
  const clients = [
    {
      ...common,
      client_id: clientId,
      client_secret: clientSecret,
      token_endpoint_auth_method: clientAuthMethod,
    },
  ];
  if (pkjwtJwks) {
    clients.push({
      ...common,
      client_id: pkjwtClientId,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: pkjwtJwks,
    });
  }
  return {
    clients,
    async findAccount(ctx, sub) {
      return {
        accountId: sub,
        async claims(use) {
          const claims = claimsFor(sub, issuer);
          if (use === 'userinfo' && coreIdentityJwk && !sub.startsWith('no-identity-')) {
            claims[CORE_IDENTITY_CLAIM] = coreIdentityJwt(sub, ctx.oidc.client.clientId);
          }
          return claims;
        },
      };
    },
    claims: {
      openid: ['sub', 'vot', 'vtm'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'birthdate'],
      // Standalone: only sent when asked for through the claims parameter (userinfo).
      [CORE_IDENTITY_CLAIM]: null,
    },
    // Put the claims of every granted scope in the ID token too (vot must be there).
    conformIdTokenClaims: false,
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    features: {
      claimsParameter: { enabled: true },
      devInteractions: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    pkce: { required: () => true },
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 120,
      ClientCredentials: 600,
      Grant: 3600,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: 86400,
      Session: 3600,
    },
  };
}

const server = createServer();
server.listen(requestedPort, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = args.issuer || process.env.OIDC_ISSUER || `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, configuration(issuer));
  for (const event of ['server_error', 'authorization.error', 'grant.error', 'userinfo.error',
    'end_session.error', 'backchannel.error']) {
    provider.on(event, (_ctx, error) => {
      process.stderr.write(`provider.mjs ${event}: ${error.message} ${error.error_description ?? ''}\n`);
    });
  }
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({
    ready: true,
    issuer,
    port,
    client_id: clientId,
    client_secret: clientSecret,
    client_auth_method: clientAuthMethod,
    pkjwt_client_id: pkjwtJwks ? pkjwtClientId : null,
    core_identity_issuer: coreIdentityIssuer,
  })}\n`);
});

const stop = () => {
  server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
