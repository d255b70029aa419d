# The guest of `make run`, a program of the simulated hypervisor's guests
# (assembled by harness/mkguest.py). It greets through the PL011 the sample
# VMM emulates, rings the sample's doorbell device (an ioeventfd), waits for
# the interrupt the sample raises in answer (an irqfd on doorbell 1 of
# gunyah-guest.dts), and powers off with exit code 0.

.equ UART	0x09000000	# PL011 data register
.equ DOORBELL	0x09010000	# the sample's doorbell device
.equ BELL	1		# label of the doorbell in gunyah-guest.dts

	puts UART "guest: Hello from a simulated Gunyah guest!\n"
	store 4 DOORBELL 1
	puts UART "guest: rang the VMM's doorbell\n"
	wait_bell BELL
	ack_bell BELL
	puts UART "guest: got the doorbell interrupt\n"
	puts UART "guest: powering off with exit code 0\n"
	poweroff 0
