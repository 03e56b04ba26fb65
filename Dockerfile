# PayHook container: build (TypeScript + WebAssembly) in one stage, run as non-root in another.
# docker build -t payhook . && docker run -p 8080:8080 -e PAYHOOK_HOST=0.0.0.0 -e PAYHOOK_API_KEYS=... payhook

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Sources first: `npm ci` runs `prepare`, which builds dist/ and wasm/build/.
COPY tsconfig.json tsconfig.build.json ./
COPY wasm ./wasm
COPY src ./src
COPY bin ./bin
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim AS run
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/bin ./bin
COPY --from=build --chown=node:node /app/wasm/build ./wasm/build
COPY --chown=node:node fixtures/prompts ./fixtures/prompts
# Call records (SQLite) and masked recordings; mount a volume here in production.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 8080
# Reads the same configuration as serve: https when the server terminates TLS itself, http otherwise.
HEALTHCHECK --interval=10s --timeout=5s CMD ["node", "bin/payhook.js", "healthcheck"]
# SIGTERM drains live calls (PAYHOOK_DRAIN_TIMEOUT_SECONDS) before exit.
STOPSIGNAL SIGTERM
# The heap flag: docs/deployment.md, "Node heap flags".
CMD ["node", "--initial-old-space-size=128", "bin/payhook.js", "serve"]
