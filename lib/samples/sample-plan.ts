/**
 * The plan a fresh install shows in its library: the seed's example of
 * creating models and a controller in one batch, then installing and
 * building in the background. Commands are plain shell so it runs offline.
 */
import type { PlanDocumentInput } from "../plan/schema";

const model = (name: string) =>
  `// ${name} model\nclass ${name} {\n  constructor(fields) {\n    Object.assign(this, fields);\n  }\n}\n\nmodule.exports = ${name};\n`;

export const SAMPLE_PLAN_NAME = "Scaffold models, install and build";

export const samplePlan: PlanDocumentInput = {
  name: SAMPLE_PLAN_NAME,
  description:
    "Creates models/user.js, post.js, comment.js and controllers/auth.js in one atomic file batch, then installs and builds side by side.",
  settings: { concurrency: 4, failurePolicy: "continue" },
  nodes: [
    { id: "user-model", type: "file.write", label: "models/user.js", params: { path: "models/user.js", content: model("User") } },
    { id: "post-model", type: "file.write", label: "models/post.js", params: { path: "models/post.js", content: model("Post") } },
    {
      id: "comment-model",
      type: "file.write",
      label: "models/comment.js",
      params: { path: "models/comment.js", content: model("Comment") },
    },
    {
      id: "auth-controller",
      type: "file.write",
      label: "controllers/auth.js",
      params: {
        path: "controllers/auth.js",
        content: "const User = require('../models/user');\n\nexports.signIn = (fields) => new User(fields);\n",
      },
    },
    {
      id: "install",
      type: "shell",
      label: "install dependencies",
      params: { command: "mkdir -p node_modules && sleep 1 && echo 'added 0 packages'" },
    },
    {
      id: "find-exports",
      type: "search",
      label: "find module exports",
      params: { pattern: "module.exports", glob: "models/**/*.js" },
    },
    {
      id: "build",
      type: "shell",
      label: "build",
      params: { command: "mkdir -p dist && cat models/*.js controllers/*.js > dist/bundle.js && wc -l dist/bundle.js" },
    },
  ],
  edges: [
    { from: "user-model", to: "find-exports" },
    { from: "post-model", to: "find-exports" },
    { from: "comment-model", to: "find-exports" },
    { from: "user-model", to: "build" },
    { from: "post-model", to: "build" },
    { from: "comment-model", to: "build" },
    { from: "auth-controller", to: "build" },
    { from: "install", to: "build" },
  ],
};
