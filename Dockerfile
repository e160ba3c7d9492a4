# syntax=docker/dockerfile:1
# Sparringsbot in production: the current Node LTS (26, the version `npm run test:lts` tests), production
# dependencies only, a non-root user, and a health check on /healthz. Configure it with the variables of
# .env.example (REDIS_URL for more than one replica); see README "Running in a container".

# Build: install everything once (scripts skipped: the prepare script's build needs the sources, copied after),
# then build dist/, the compiled code the bins run (scripts/build.js).
FROM node:26.10.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-fund --no-audit
COPY . .
RUN npm run build

# Run: production dependencies and the files the bot reads at run time, nothing else.
FROM node:26.10.0-bookworm-slim
ENV NODE_ENV=production PORT=3978 HOST=0.0.0.0 LOG_FORMAT=json
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-fund --no-audit && npm cache clean --force
COPY --from=build /app/bin ./bin
COPY --from=build /app/src ./src
# After src/: the bins run dist/ only when it is newer than every source file (bin/run.js).
COPY --from=build /app/dist ./dist
COPY --from=build /app/cards ./cards
COPY --from=build /app/programmes ./programmes
COPY --from=build /app/manifests ./manifests
USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/main.js"]
