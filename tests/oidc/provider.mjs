// A real OpenID provider for the test suite (oidc-provider, OpenID Certified), configured as the
// Finnish Trust Network OIDC profile asks of an identity provider's relying parties: a signed
// request object on every authorisation request, private_key_jwt client authentication, PKCE,
// and an encrypted (JWE) ID token. Started by tests/oidc/harness.py:
//
//   node provider.mjs CONFIG.json
//
// CONFIG: {"port", "jwks" (the provider's private signing keys), "clients": [{"client_id",
// "jwks" (the client's public keys), "redirect_uris"}], "persons_file", "national_id_claim"}.
// PERSONS_FILE: {"<account id>": {claims}} — read on every sign-in, so a test adds the people it
// needs. The login page asks which person signs in (the test fills it in like a browser would).
// Prints "READY <issuer>" once listening.

import { readFileSync } from 'node:fs';
import http from 'node:http';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;
const nationalIdClaim = config.national_id_claim;

function persons() {
  return JSON.parse(readFileSync(config.persons_file, 'utf8'));
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const provider = new Provider(issuer, {
  clients: config.clients.map((client) => ({
    client_id: client.client_id,
    redirect_uris: client.redirect_uris,
    jwks: client.jwks,
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256',
    request_object_signing_alg: 'RS256',
    id_token_signed_response_alg: 'RS256',
    id_token_encrypted_response_alg: 'RSA-OAEP-256',
    id_token_encrypted_response_enc: 'A256GCM',
  })),
  jwks: config.jwks,
  clientAuthMethods: ['private_key_jwt'],
  responseTypes: ['code'],
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    requestObjects: { enabled: true, requireSignedRequestObject: true },
    encryption: { enabled: true },
    claimsParameter: { enabled: true },
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    [nationalIdClaim]: null,
  },
  cookies: { keys: ['hb-test-provider-cookies'] },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const claims = persons()[id];
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
  // No consent screen: the person agreed by signing in (as at Suomi.fi), so the grant covers what
  // the signed request asked for.
  async loadExistingGrant(ctx) {
    const accountId = ctx.oidc.session?.accountId;
    if (!accountId) return undefined;
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId });
    grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
    grant.addOIDCClaims([...ctx.oidc.requestParamClaims]);
    await grant.save();
    return grant;
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<!DOCTYPE html><title>error</title><h1>${escape(out.error)}</h1><p>${escape(out.error_description || '')}</p>`;
  },
});

function loginPage(uid, message) {
  return `<!DOCTYPE html><html lang="fi"><title>Tunnistus</title>
<h1>Testitunnistus</h1>${message ? `<p role="alert">${escape(message)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="person">Henkilö</label><input id="person" name="person" autocomplete="off">
<button type="submit">Tunnistaudu</button></form></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

const handler = provider.callback();
const server = http.createServer(async (req, res) => {
  const match = /^\/interaction\/([^/?]+)(\/login)?/.exec(req.url);
  if (!match) return handler(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(loginPage(details.uid));
    }
    const person = (await readForm(req)).get('person') || '';
    if (!persons()[person]) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(loginPage(details.uid, 'unknown person'));
    }
    await provider.interactionFinished(req, res, { login: { accountId: person } }, { mergeWithLastSubmission: false });
  } catch (err) {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end(`interaction failed: ${err.message}`);
  }
});

server.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`READY ${issuer}\n`);
});
