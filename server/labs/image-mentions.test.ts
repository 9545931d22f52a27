import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { imageMentions, imagesMade } from './image-mentions.ts';
import { inlineLab, lineOf, parseInline, problems } from '../test-support/inline-lab.ts';

const images = (block: string, made?: Set<string>) => imageMentions(block, made).map((m) => `${m.lineOffset}:${m.image}`);

describe('images named in code blocks', () => {
  test('pull, run, create, service create and FROM, with their options skipped', () => {
    assert.deepEqual(
      images(
        [
          'docker pull alpine',
          'docker run --rm -it --entrypoint htpasswd httpd:2 -Bbn a b',
          'docker run -d -p 5000:5000 -e A=b --restart=always --name registry -v /r:/var/lib/registry registry:2',
          'docker run -dit -p80:80 ubuntu:22.04 bash',
          'docker container run --init busybox',
          'sudo docker image pull docker.io/library/nginx:1.27',
          'docker service create --name web --mode global --publish mode=host,published=80,target=80 --detach nginx',
          'FROM --platform=linux/amd64 golang:1.22 AS build',
          'FROM build',
          'FROM scratch',
        ].join('\n'),
      ),
      ['0:alpine:latest', '1:httpd:2', '2:registry:2', '3:ubuntu:22.04', '4:busybox:latest', '5:nginx:1.27', '6:nginx:latest', '7:golang:1.22'],
    );
  });

  test('continued lines, command substitutions, chains and prompts', () => {
    const block = ['$ docker run -d --name cache \\', '  --add-host m:$(getent hosts m | awk \'{print $1}\') \\', '  registry:2 && docker pull hello-world; echo ok'].join('\n');
    assert.deepEqual(images(block), ['0:registry:2', '0:hello-world:latest']);
  });

  test("the learner's own registries, variables and what the lab makes are not Docker Hub's", () => {
    const block = ['docker pull 127.0.0.1:5000/hello-world', 'docker run node1:5000/app:1', 'docker run $IMAGE', 'docker build -t my-app .', 'docker tag hello-world web:1', 'docker run my-app', 'docker run web:1'].join('\n');
    assert.deepEqual(imagesMade(block), ['my-app:latest', 'web:1']);
    assert.deepEqual(images(block, new Set(imagesMade(block))), []);
  });
});

describe('the lint rule', () => {
  test('flags an image the platform cannot provide, at its line', () => {
    const source = inlineLab(`
      ## Make a password file
      Without htpasswd on this machine:
      \`\`\`bash node1
      mkdir -p auth
      docker run --rm --entrypoint htpasswd httpd:2 -Bbn alice secret > auth/htpasswd
      \`\`\`
      \`\`\`check
      - kind: command
        host: node1
        run: test -s auth/htpasswd
      \`\`\`
      ### Solution
      \`\`\`bash node1
      docker pull registry:2
      \`\`\`
    `);
    assert.deepEqual(problems(parseInline(source, { mirrorImages: ['registry:2', 'hello-world:latest'] })), [
      `${lineOf(source, 'httpd:2')}: image "httpd:2" is not in the platform mirror (it has registry:2, hello-world:latest): use one it has, or have it added (\`drydock images add\`)`,
    ]);
  });
});
