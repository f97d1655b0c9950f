#!/usr/bin/perl
# Render xen-tools' xm.tmpl the way xt-create-xen-config does for
#   xen-create-image --hostname=tutorial-pv-guest --memory=512mb --vcpus=2 \
#     --lvm=vg0 --dhcp --pygrub --dist=bookworm
use strict; use warnings; use Text::Template;
my $tmpl = shift or die "usage: render.pl XM.TMPL\n";
my $host = 'tutorial-pv-guest';
my @parts = (
  { name => 'swap', size => '512M', type => 'swap', mountpoint => '',
    options => '', imagetype => 'phy:', image => "/dev/vg0/$host-swap" },
  { name => 'disk', size => '4G', type => 'ext4', mountpoint => '/',
    options => 'errors=remount-ro', imagetype => 'phy:',
    image => "/dev/vg0/$host-disk" },
);
my %vars = (hostname => $host, memory => '512', vcpus => '2', lvm => 'vg0',
  dhcp => 1, pygrub => 1, dist => 'bookworm', device => 'xvda',
  mac => '00:16:3E:5A:2C:91', xen_tools_version => '4.9.2',
  kernel => '/boot/vmlinuz-6.1.0-27-amd64',
  initrd => '/boot/initrd.img-6.1.0-27-amd64', PARTITIONS => \@parts);
my $t = Text::Template->new(TYPE => 'FILE', SOURCE => $tmpl) or die;
my $out = $t->fill_in(HASH => \%vars) // die $Text::Template::ERROR;
$out =~ s/on \w{3} \w{3} +\d+ [\d:]+ \d{4}\./on Fri Nov 27 09:30:00 2026./;
print $out;
