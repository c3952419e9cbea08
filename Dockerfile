# One image for the worker and the API (TypeScript run directly by Node 24's type stripping),
# and a target for the built web app. Build: docker compose build.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY web/package.json web/package.json
RUN npm ci --no-audit --no-fund

FROM deps AS web-build
COPY web web
RUN npm run build -w web

FROM node:24-bookworm-slim AS app
ENV NODE_ENV=production TZ=UTC
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY package.json tsconfig.json ./
COPY domain domain
COPY db db
COPY activities activities
COPY workflows workflows
COPY worker worker
COPY api api
COPY devstack devstack
USER node

FROM node:24-bookworm-slim AS web
ENV NODE_ENV=production
WORKDIR /app/web
COPY --from=deps /app/node_modules /app/node_modules
COPY --from=web-build /app/web/build build
COPY web/package.json package.json
USER node
EXPOSE 3000
CMD ["node", "build/index.js"]
