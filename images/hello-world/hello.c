#include <unistd.h>

static const char message[] =
    "\n"
    "Hello from Docker!\n"
    "This message shows that your installation appears to be working correctly.\n"
    "\n"
    "To produce it, Docker took these steps:\n"
    " 1. The Docker client contacted the Docker daemon.\n"
    " 2. The daemon pulled the \"hello-world\" image (here from the lab's registry mirror).\n"
    " 3. The daemon created a new container from that image, which runs the program\n"
    "    that printed this text.\n"
    " 4. The daemon streamed that output to the Docker client, which sent it to your terminal.\n"
    "\n";

int main(void) {
    /* write(2) and a static binary keep the image a single file with no libc runtime. */
    return write(1, message, sizeof(message) - 1) == (ssize_t)(sizeof(message) - 1) ? 0 : 1;
}
