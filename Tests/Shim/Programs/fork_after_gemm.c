// Multiplies matrices through DeviceShim's C API, then forks: the child runs an OpenMP loop of
// its own (GNU OpenMP, from -fopenmp) and exits; the parent multiplies again. While MKL ran a
// GEMM on this thread with GNU OpenMP's threads, the child hung: the thread's OpenMP pool
// named threads that fork does not copy. MKL now computes alone on a program's thread.
#include "deviceshim.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

// C = A B with A all ones and B all twos (n x n, on "cpu"): every element of C is 2n.
static int multiply(int n) {
    size_t count = (size_t)n * (size_t)n;
    float *ones = malloc(count * sizeof(float)), *twos = malloc(count * sizeof(float)), *product = malloc(count * sizeof(float));
    for (size_t i = 0; i < count; i++) ones[i] = 1, twos[i] = 2;
    int64_t shape[2] = {n, n};
    deviceshim_tensor a = 0, b = 0, c = 0;
    int failed = deviceshim_tensor_from_data(ones, DEVICESHIM_FLOAT32, shape, 2, "cpu", &a) != DEVICESHIM_OK
        || deviceshim_tensor_from_data(twos, DEVICESHIM_FLOAT32, shape, 2, "cpu", &b) != DEVICESHIM_OK
        || deviceshim_tensor_matmul(a, b, &c) != DEVICESHIM_OK
        || deviceshim_tensor_copy_to_host(c, product, count * sizeof(float)) != DEVICESHIM_OK;
    for (size_t i = 0; !failed && i < count; i++) failed = product[i] != 2.0f * (float)n;
    printf("%d x %d product %s\n", n, n, failed ? "WRONG" : "ok");
    deviceshim_tensor_free(a), deviceshim_tensor_free(b), deviceshim_tensor_free(c);
    free(ones), free(twos), free(product);
    return failed;
}

int main(void) {
    // 128 x 128 runs on this thread (the CPU queue runs small work inline), 512 x 512 on its worker.
    if (multiply(128) || multiply(512)) return 1;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        alarm(30); // a hang ends the child with SIGALRM
        int threads = 0;
#pragma omp parallel reduction(+ : threads)
        threads += 1;
        printf("child: an OpenMP loop ran on %d threads\n", threads);
        fflush(stdout);
        _exit(threads >= 1 ? 0 : 1);
    }
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) != child) return 1;
    if (WIFSIGNALED(status)) {
        printf("child killed by signal %d\n", WTERMSIG(status));
        return 1;
    }
    printf("child exited %d\n", WEXITSTATUS(status));
    if (multiply(128)) return 1;
    return WEXITSTATUS(status);
}
