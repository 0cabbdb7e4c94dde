# BookIT API and worker image (one image, two commands: `npm run api`, `npm run worker`).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
COPY tsconfig.json ./
# npm ci's postinstall builds the web app (web/dist), which the API serves at /.
COPY web ./web
RUN npm ci --omit=optional --ignore-scripts=false
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY templates ./templates
COPY migrations ./migrations
COPY scripts ./scripts
ENV NODE_ENV=production HOST=0.0.0.0
USER node
EXPOSE 3000
CMD ["npm", "run", "api"]
