# BookIT's API and worker: one image, two commands, both compiled JavaScript run by node (no tsx).
#   docker build -t bookit .
#   docker run ... bookit                                  the API    (node dist/src/main/api.js)
#   docker run ... bookit node dist/src/main/worker.js     the worker (on the workflows bundled at build)
# docker-compose.yml runs both; the README's "Production build" says what goes where.

# The build: every dependency, `npm run build` into dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci's postinstall applies patches/ (patch-package) and builds the web app, so both come first.
COPY patches ./patches
COPY tsconfig.json ./
COPY web ./web
RUN npm ci --no-audit --no-fund
COPY tsconfig.build.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY templates ./templates
COPY migrations ./migrations
COPY scripts ./scripts
RUN npm run build

# The runtime: package.json's dependencies only, and the build's output.
FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the postinstall (patch-package, the web build) needs devDependencies, and no
# production dependency needs an install script of its own.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
# postgres.js needs patches/postgres+3.4.9.patch at run time (without it a connection PostgreSQL
# closes under load can crash the process; README, Dependencies). patch-package is a build tool, so
# the build stage's patched copy (the same version: one lockfile) replaces the one just installed,
# and the image is refused if the guard is not in it.
COPY --from=build /app/node_modules/postgres ./node_modules/postgres
RUN grep -q 'porsager/postgres#1208' node_modules/postgres/src/connection.js \
  && grep -q 'porsager/postgres#1208' node_modules/postgres/cjs/src/connection.js
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
CMD ["node", "dist/src/main/api.js"]
