# reva-escalations: compiled JavaScript on a supported Node LTS, production dependencies only, non-root,
# `node` as PID 1 so SIGTERM reaches the service and its graceful shutdown runs.
ARG NODE_IMAGE=node:22-bookworm-slim

# ── build: every dependency (TypeScript, the Prisma CLI), the Prisma client, tsc → dist/ ──────────────
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Third-party install scripts are not needed (and npm 10 ignores package.json "allowScripts"); ours
# generates the Prisma client offline, once the schema is there.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json tsconfig.build.json ./
RUN node scripts/prisma-generate.mjs
COPY src ./src
RUN npm run build

# ── production dependencies ─────────────────────────────────────────────────────────────────────────
# --omit=optional as well: @prisma/client's optional peers (prisma, typescript) would otherwise come
# along; nothing optional is needed at run time (msgpackr-extract only speeds msgpackr up).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force

# ── runtime ─────────────────────────────────────────────────────────────────────────────────────────
FROM ${NODE_IMAGE}
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Read at start: the migrations (applied by every process, under a lock) and the schema beside them.
COPY prisma ./prisma
COPY package.json ./
# Only written on a start without ADMIN_API_KEY/ENCRYPTION_KEY (a local try-out): generated keys.
RUN mkdir -p .local && chown node:node .local
USER node
ENV PORT=3000
EXPOSE 3000
# Exec form: node is PID 1 and receives SIGTERM itself (no npm or shell in between).
# A 64 MB young generation (V8's default is 16): a request's garbage dies young instead of being copied
# and promoted by a scavenge every ~100 requests; the same flags as the start script (README, performance).
CMD ["node", "--max-semi-space-size=64", "dist/main.js"]
