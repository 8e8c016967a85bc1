/**
 * A whole app file, every field a lab uses, as `gureum apps apply --help` and the README show
 * it. The test applies this very text, so it cannot drift from what the server takes.
 */
export const APP_FILE_EXAMPLE = `name: notebook                    # lower-case, unique in the catalog
title: JupyterLab for the course
description: One notebook server per student
project: lab                      # optional: private to this project (else the global catalog, admin only)
parameters:
  - {name: token, type: string, default: change-me, pattern: "^[a-z0-9-]{8,}$"}
  - {name: workers, type: integer, default: 1, min: 0, max: 8}
components:
  - name: main
    image: registry.lab.example/jupyter/base-notebook:2024-06
    command: [start-notebook.sh]  # replaces the entrypoint; args: replaces CMD
    args: ["--IdentityProvider.token={{token}}"]
    env: {JUPYTER_ENABLE_LAB: "yes"}
    ports:
      - {name: http, containerPort: 8888}          # reachable in the project network
      - {name: ui, containerPort: 4040, hostPort: 14040}   # a fixed host port (one replica only)
    replicas: {param: workers}     # or a number
    resources: {cpus: 500m, memory: 1Gi}   # also cpus: 0.5, memoryBytes: 1073741824
    volumes:
      - {volume: home, mountPath: /home/jovyan}
    secrets:
      - {secret: db-password, env: DB_PASSWORD}
    healthCheck: {command: [wget, -q, -O-, "http://localhost:8888/api"], intervalSeconds: 10, retries: 3}
`;
