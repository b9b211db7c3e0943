export const id = 224;
export const ids = [224];
export const modules = {

/***/ 1224:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  resolveImage: () => (/* binding */ resolveImage)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/http/hosts.ts
var hosts = __webpack_require__(2327);
// EXTERNAL MODULE: ./src/http/request.ts
var request = __webpack_require__(7777);
// EXTERNAL MODULE: ./src/version.ts
var version = __webpack_require__(311);
;// CONCATENATED MODULE: ./src/registry/challenge.ts
const TOKEN_CHAR = /[!#$%&'*+.^_`|~0-9A-Za-z\-/]/;
/**
 * Parses WWW-Authenticate (RFC 7235): several challenges in one value, several headers joined
 * with ", ", quoted values with commas and escapes in them.
 */
function parseChallenges(header) {
    const value = Array.isArray(header) ? header.join(', ') : (header ?? '');
    const challenges = [];
    let pos = 0;
    const skip = (chars) => {
        while (pos < value.length && chars.test(value[pos]))
            pos++;
    };
    const token = () => {
        const start = pos;
        while (pos < value.length && TOKEN_CHAR.test(value[pos]))
            pos++;
        return value.slice(start, pos);
    };
    const quoted = () => {
        let out = '';
        pos++; // opening quote
        while (pos < value.length && value[pos] !== '"') {
            if (value[pos] === '\\' && pos + 1 < value.length)
                pos++;
            out += value[pos++];
        }
        pos++; // closing quote
        return out;
    };
    // Lenient: an unquoted value runs to the next comma or space, so `realm=https://x/token` reads whole.
    const bare = () => {
        const start = pos;
        while (pos < value.length && !/[\s,]/.test(value[pos]))
            pos++;
        return value.slice(start, pos);
    };
    while (pos < value.length) {
        skip(/[\s,]/);
        const start = pos;
        const name = token();
        if (name === '') {
            pos = Math.max(pos + 1, start + 1); // not a token character: step over it
            continue;
        }
        skip(/\s/);
        const current = challenges.at(-1);
        if (value[pos] === '=' && current) {
            pos++;
            skip(/\s/);
            if (value[pos] === '=' || pos >= value.length) {
                skip(/=/); // token68 padding, e.g. "Basic dXNlcg==": not a parameter
                continue;
            }
            current.params[name.toLowerCase()] = value[pos] === '"' ? quoted() : bare();
        }
        else {
            challenges.push({ scheme: name.toLowerCase(), params: {} });
        }
    }
    return challenges;
}

// EXTERNAL MODULE: ./src/registry/platform.ts
var registry_platform = __webpack_require__(8688);
// EXTERNAL MODULE: ./src/registry/reference.ts
var reference = __webpack_require__(9310);
;// CONCATENATED MODULE: ./src/registry/client.ts








const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
/** Every current manifest type, without q-values: a registry answers a missing type with a conversion or a 404. */
const MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST].join(', ');
const SCHEMA1 = /^application\/vnd\.docker\.distribution\.manifest\.v1\+(?:pretty)?jws$|^application\/vnd\.docker\.distribution\.manifest\.v1\+json$/;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const MAX_NESTING = 4;
/** A registry failure the user can act on. */
class RegistryError extends errors/* UserError */.yo {
    name = 'RegistryError';
}
/** Talks to one registry over the distribution API, with its auth flows, for one image's repository. */
class RegistryClient {
    #ref;
    #origin;
    #options;
    #tokens = new Map();
    /** The Authorization value that worked last, reused for the next request. */
    #auth;
    constructor(ref, options) {
        this.#ref = ref;
        this.#options = options;
        const plain = options.insecure || (0,hosts/* isLoopback */.U)((0,reference/* hostName */.Sm)(ref.host));
        this.#origin = `${plain ? 'http' : 'https'}://${ref.host}`;
    }
    /** The digest a tag or digest reference points to; with a platform, that platform's manifest in an index. */
    async resolve(reference, platform) {
        if (!platform) {
            const head = await this.#manifest('HEAD', reference);
            const digest = (0,request/* header */.wx)(head.headers, 'docker-content-digest');
            const mediaType = (0,request/* header */.wx)(head.headers, 'content-type');
            if (digest && !SCHEMA1.test(mediaType ?? ''))
                return { digest: this.#verified(reference, digest), mediaType };
        }
        const { digest, manifest } = await this.#getManifest(reference);
        if (!platform)
            return { digest, mediaType: manifest.mediaType };
        return this.#pick(digest, manifest, platform, 0);
    }
    /** Whether the repository holds a manifest with this digest. */
    async exists(digest) {
        const res = await this.#request('HEAD', this.#manifestUrl(digest), MANIFEST_ACCEPT, true);
        if (res.status === 404)
            return false;
        this.#check(res, digest);
        return true;
    }
    async #pick(indexDigest, manifest, platform, depth) {
        if (!Array.isArray(manifest.manifests)) {
            await this.#checkSinglePlatform(manifest, platform, indexDigest);
            return { digest: indexDigest, mediaType: manifest.mediaType };
        }
        const usable = manifest.manifests.filter((d) => d.digest && !isAttestation(d));
        const match = usable.find((d) => d.platform && (0,registry_platform/* samePlatform */.my)(d.platform, platform));
        const isIndex = (d) => d.mediaType === OCI_INDEX || d.mediaType === DOCKER_LIST;
        // An index may list other indexes, with or without a platform of their own: look inside them.
        const inner = match && isIndex(match) ? [match] : match ? [] : usable.filter((d) => isIndex(d) && !d.platform);
        for (const descriptor of inner) {
            if (depth >= MAX_NESTING)
                break;
            const nested = await this.#getManifest(descriptor.digest);
            const picked = await this.#pick(nested.digest, nested.manifest, platform, depth + 1).catch((error) => {
                if (error instanceof RegistryError && descriptor !== match)
                    return undefined;
                throw error;
            });
            if (picked)
                return { ...picked, index: indexDigest };
        }
        if (match && !isIndex(match))
            return { digest: match.digest, mediaType: match.mediaType, index: indexDigest };
        const offered = usable.filter((d) => d.platform).map((d) => (0,registry_platform/* formatPlatform */.Bq)(d.platform)).join(', ');
        throw new RegistryError(`${this.#name(indexDigest)} has no ${(0,registry_platform/* formatPlatform */.Bq)(platform)} image${offered ? `; it has ${offered}` : ''}`);
    }
    /** A plain manifest names one platform in its config; say so when it is not the one asked for. */
    async #checkSinglePlatform(manifest, platform, digest) {
        const config = manifest.config?.digest;
        if (!config)
            return;
        const res = await this.#request('GET', `${this.#origin}/v2/${this.#ref.repository}/blobs/${config}`, '*/*', false, MAX_MANIFEST_BYTES);
        this.#check(res, config);
        let image;
        try {
            image = JSON.parse(res.text);
        }
        catch {
            return;
        }
        if (image.os && image.architecture && !(0,registry_platform/* samePlatform */.my)({ os: image.os, architecture: image.architecture, variant: image.variant }, platform)) {
            const has = (0,registry_platform/* formatPlatform */.Bq)({ os: image.os, architecture: image.architecture, variant: image.variant });
            throw new RegistryError(`${this.#name(digest)} is a single ${has} image, not ${(0,registry_platform/* formatPlatform */.Bq)(platform)}`);
        }
    }
    async #manifest(method, reference) {
        const res = await this.#request(method, this.#manifestUrl(reference), MANIFEST_ACCEPT, true, MAX_MANIFEST_BYTES);
        this.#check(res, reference);
        return res;
    }
    async #getManifest(reference) {
        const res = await this.#manifest('GET', reference);
        // The digest of the exact bytes served, as the registry computes it.
        const digest = this.#verified(reference, `sha256:${(0,external_node_crypto_.createHash)('sha256').update(res.bytes).digest('hex')}`);
        let manifest;
        try {
            manifest = JSON.parse(res.text);
        }
        catch {
            throw new RegistryError(`${this.#name(reference)}: the registry served a manifest that is not JSON`);
        }
        const mediaType = manifest.mediaType ?? (0,request/* header */.wx)(res.headers, 'content-type');
        if (manifest.schemaVersion === 1 || SCHEMA1.test(mediaType ?? '')) {
            throw new RegistryError(`${this.#name(reference)} is a Docker schema 1 image, which has no stable digest; push it again with a current Docker or buildx`);
        }
        return { digest, manifest: { ...manifest, mediaType } };
    }
    /** A by-digest reference must come back with that digest. */
    #verified(reference, digest) {
        if (reference.startsWith('sha256:') && digest !== reference) {
            throw new RegistryError(`${this.#name(reference)}: the registry answered with ${digest}, not the digest asked for`);
        }
        return digest;
    }
    #check(res, reference) {
        if (res.status >= 200 && res.status < 300)
            return;
        const name = this.#name(reference);
        if (res.status === 404)
            throw new RegistryError(`${name} was not found in the registry`);
        if (res.status === 401 || res.status === 403) {
            const source = this.#options.credentials ? ` with the credentials from ${this.#options.credentials.source}` : ' anonymously';
            throw new RegistryError(`access to ${name} was denied${source}; set registry-username and registry-password, or log in with docker/login-action first`);
        }
        if (res.status === 429) {
            if (this.#ref.registry === 'docker.io') {
                throw new RegistryError(`Docker Hub's pull rate limit was reached while resolving ${name}; log in (registry-username/registry-password or docker/login-action) for a higher limit, or retry later`);
            }
            throw new RegistryError(`the registry rate-limited the request for ${name} (HTTP 429); retry later`);
        }
        throw new RegistryError(`the registry answered HTTP ${res.status} for ${name}${registryErrorCode(res)}`);
    }
    #name(reference) {
        const sep = reference.startsWith('sha256:') ? '@' : ':';
        return `${this.#ref.registry}/${this.#ref.repository}${sep}${reference}`;
    }
    #manifestUrl(reference) {
        return `${this.#origin}/v2/${this.#ref.repository}/manifests/${reference}`;
    }
    /** Sends with the registry's auth flow: anonymous first, then the challenge's scheme, once more on insufficient_scope. */
    async #request(method, url, accept, authenticate, maxBodyBytes) {
        const scope = `repository:${this.#ref.repository}:pull`;
        let res = await this.#follow(method, url, accept, this.#auth, maxBodyBytes);
        for (let round = 0; authenticate && res.status === 401 && round < 2; round++) {
            const challenges = parseChallenges(res.headers['www-authenticate']);
            const bearer = challenges.find((c) => c.scheme === 'bearer');
            const wantsMore = round > 0 && bearer?.params.error === 'insufficient_scope';
            if (round > 0 && !wantsMore)
                break;
            const auth = await this.#authorization(challenges, bearer?.params.scope ?? scope, wantsMore);
            if (!auth)
                break;
            this.#auth = auth;
            res = await this.#follow(method, url, accept, auth, maxBodyBytes);
        }
        return res;
    }
    async #authorization(challenges, scope, fresh) {
        const bearer = challenges.find((c) => c.scheme === 'bearer');
        if (bearer)
            return `Bearer ${await this.#token(bearer, scope, fresh)}`;
        if (challenges.some((c) => c.scheme === 'basic')) {
            const credentials = this.#options.credentials;
            if (!credentials?.password)
                return undefined;
            return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
        }
        return undefined;
    }
    /** A bearer token from the challenge's realm, cached until it expires. */
    async #token(challenge, scope, fresh) {
        const { realm, service } = challenge.params;
        let url;
        try {
            url = new URL(realm ?? '');
        }
        catch {
            throw new RegistryError(`${this.#ref.registry} asked for a token from an invalid realm "${realm ?? ''}"`);
        }
        const refused = realmProblem(this.#origin, url);
        if (refused)
            throw new RegistryError(`${this.#ref.registry}: ${refused}`);
        const key = `${url.href}|${service ?? ''}|${scope}`;
        const cached = this.#tokens.get(key);
        if (cached && !fresh && cached.expiresAt > this.#options.policy.now() + 10_000)
            return cached.value;
        const credentials = this.#options.credentials;
        const headers = { 'user-agent': version/* USER_AGENT */._, accept: 'application/json' };
        let method = 'GET';
        let body;
        if (credentials?.identityToken) {
            method = 'POST';
            headers['content-type'] = 'application/x-www-form-urlencoded';
            body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.identityToken, service: service ?? '', scope, client_id: 'wriftai-publish-version' }).toString();
        }
        else {
            if (service)
                url.searchParams.set('service', service);
            url.searchParams.set('scope', scope);
            if (credentials?.password)
                headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
        }
        const res = await (0,request/* send */.tN)({ method, url, headers, body, maxBodyBytes: 1024 * 1024 }, this.#options.policy);
        if (res.status === 401 || res.status === 403) {
            throw new RegistryError(`the token server ${url.origin} refused the credentials from ${credentials?.source ?? 'an anonymous request'} (HTTP ${res.status})`);
        }
        if (res.status < 200 || res.status >= 300)
            throw new RegistryError(`the token server ${url.origin} answered HTTP ${res.status}`);
        let answer;
        try {
            answer = JSON.parse(res.text);
        }
        catch {
            throw new RegistryError(`the token server ${url.origin} answered something other than JSON`);
        }
        const value = answer.token || answer.access_token;
        if (!value)
            throw new RegistryError(`the token server ${url.origin} answered without a token`);
        const issued = answer.issued_at ? Date.parse(answer.issued_at) : Number.NaN;
        const start = Number.isNaN(issued) ? this.#options.policy.now() : issued;
        this.#tokens.set(key, { value, expiresAt: start + (answer.expires_in || 60) * 1000 });
        return value;
    }
    /** Follows redirects itself, so that Authorization never reaches another host and https never drops to http. */
    async #follow(method, url, accept, auth, maxBodyBytes) {
        let target = new URL(url);
        for (let hop = 0;; hop++) {
            const headers = { 'user-agent': version/* USER_AGENT */._, accept };
            if (auth && target.origin === this.#origin)
                headers.authorization = auth;
            const res = await (0,request/* send */.tN)({ method, url: target, headers, maxBodyBytes }, this.#options.policy);
            const location = (0,request/* header */.wx)(res.headers, 'location');
            if (res.status < 300 || res.status >= 400 || !location || hop >= MAX_REDIRECTS)
                return res;
            const next = new URL(location, target);
            if (target.protocol === 'https:' && next.protocol !== 'https:') {
                throw new RegistryError(`${this.#ref.registry} redirected from https to ${next.origin}; refusing to follow`);
            }
            target = next;
        }
    }
}
/** Why a token realm must not be used: credentials and tokens never travel over a weaker channel than the registry's. */
function realmProblem(registryOrigin, realm) {
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:')
        return `the token realm ${realm.href} is not an http(s) URL`;
    if (registryOrigin.startsWith('https:') && realm.protocol !== 'https:')
        return `the registry is served over https but asks for tokens from ${realm.origin}; refusing to fetch a token over plain http`;
    return undefined;
}
function isAttestation(d) {
    return (d.platform?.os === 'unknown' && d.platform.architecture === 'unknown') || d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest';
}
function registryErrorCode(res) {
    try {
        const code = JSON.parse(res.text).errors?.[0]?.code;
        return code ? ` (${code})` : '';
    }
    catch {
        return '';
    }
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 6 modules
var exec = __webpack_require__(9014);
;// CONCATENATED MODULE: ./src/registry/credentials.ts





const DOCKER_HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
/**
 * Credentials for `registry`, in order: the explicit inputs, then the Docker config
 * (`$DOCKER_CONFIG/config.json` or `~/.docker/config.json`): `credHelpers[registry]`,
 * `credsStore`, then `auths`. What docker/login-action leaves behind is found this way.
 */
async function findCredentials(registry, explicit, env = process.env) {
    if (explicit.username && explicit.password)
        return { username: explicit.username, password: explicit.password, source: 'registry-username/registry-password' };
    const file = external_node_path_default().join(env.DOCKER_CONFIG || external_node_path_default().join(env.HOME || (0,external_node_os_.homedir)(), '.docker'), 'config.json');
    let config;
    try {
        config = JSON.parse(await (0,promises_.readFile)(file, 'utf8'));
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw new errors/* UserError */.yo(`cannot read the Docker config ${file}: ${error.message}`);
    }
    const keys = registry === 'docker.io' ? DOCKER_HUB_KEYS : [registry];
    const helper = keys.map((key) => config.credHelpers?.[key]).find(Boolean) ?? config.credsStore;
    if (helper) {
        const fromHelper = await askHelper(helper, registry === 'docker.io' ? DOCKER_HUB_KEYS[0] : registry);
        if (fromHelper)
            return fromHelper;
    }
    for (const [key, entry] of Object.entries(config.auths ?? {})) {
        if (normalizeServer(key) !== registry.toLowerCase())
            continue;
        const decoded = entry.auth ? Buffer.from(entry.auth, 'base64').toString('utf8') : undefined;
        const colon = decoded?.indexOf(':') ?? -1;
        const username = decoded && colon > 0 ? decoded.slice(0, colon) : entry.username;
        const password = decoded && colon > 0 ? decoded.slice(colon + 1) : entry.password;
        if (entry.identitytoken)
            return { username: username ?? '<token>', identityToken: entry.identitytoken, source: `${file} (auths)` };
        if (username && password)
            return { username, password, source: `${file} (auths)` };
    }
    return undefined;
}
/** `https://ghcr.io/v2/` and `GHCR.IO` name the same server as `ghcr.io`. */
function normalizeServer(key) {
    const bare = key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
    return DOCKER_HUB_KEYS.includes(bare) ? 'docker.io' : bare;
}
async function askHelper(name, server) {
    const program = `docker-credential-${name}`;
    let result;
    try {
        result = await exec/* getExecOutput */.H(program, ['get'], { input: Buffer.from(server), silent: true, ignoreReturnCode: true });
    }
    catch (error) {
        throw new errors/* UserError */.yo(`the Docker config names the credential helper "${name}", but ${program} could not run: ${error.message}`);
    }
    if (result.exitCode !== 0) {
        if (/credentials not found/i.test(result.stdout + result.stderr))
            return undefined;
        throw new errors/* UserError */.yo(`${program} get failed for ${server} (exit code ${result.exitCode})`);
    }
    let answer;
    try {
        answer = JSON.parse(result.stdout);
    }
    catch {
        throw new errors/* UserError */.yo(`${program} get answered something other than JSON for ${server}`);
    }
    if (!answer.Secret)
        return undefined;
    if (answer.Username === '<token>')
        return { username: '<token>', identityToken: answer.Secret, source: program };
    return { username: answer.Username ?? '', password: answer.Secret, source: program };
}

;// CONCATENATED MODULE: ./src/registry/resolve.ts




/**
 * Turns the image input into the digest WriftAI records, with no Docker daemon: a tag is resolved
 * (an index stays an index unless a platform is asked for), and a digest is checked to exist, so
 * that no version records a digest nobody can pull.
 */
async function resolveImage(image, options) {
    const credentials = await findCredentials(image.registry, { username: options.username, password: options.password }, options.env);
    const client = new RegistryClient(image, { credentials, insecure: options.insecure, policy: options.policy });
    const repository = `${image.registry}/${image.repository}`;
    const pinned = options.imageDigest ?? (options.platform ? undefined : image.digest);
    if (pinned) {
        if (!(await client.exists(pinned))) {
            throw new RegistryError(`${repository}@${pinned} does not exist; a version must record a digest that can be pulled`);
        }
        return { reference: `${repository}@${pinned}`, digest: pinned, how: 'verified' };
    }
    const resolved = await client.resolve((0,reference/* manifestReference */.Tn)(image), options.platform);
    return {
        reference: `${repository}@${resolved.digest}`,
        digest: resolved.digest,
        how: 'resolved',
        ...(options.platform && { platform: (0,registry_platform/* formatPlatform */.Bq)(options.platform) }),
        ...(resolved.index && { index: resolved.index }),
    };
}


/***/ })

};
