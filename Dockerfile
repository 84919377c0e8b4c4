# syntax=docker/dockerfile:1
# Multi-stage build. The base image brings Node 24, so the runtime runs `node` directly; the npm
# package `node` (a devDependency that gives npm scripts Node 24 on machines with an older Node)
# is pruned away with the other development dependencies.

FROM node:24-slim AS build
WORKDIR /app
ENV CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
# postinstall runs `prisma generate` (scripts/prisma-generate.js): the generated client lands in
# libs/database/src/generated and is compiled into dist/ by the build below.
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:24-slim AS runtime
ENV NODE_ENV=production PORT=3000
WORKDIR /app
# package.json marks the project root (migrations are found beside it); prisma/migrations holds the
# SQL the service applies at start-up.
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/prisma ./prisma
USER node
EXPOSE 3000
# PROCESS_ROLE=api | worker | all selects what this container runs (see README, Configuration).
CMD ["node", "dist/apps/api/src/main.js"]
